// A pool's autoscaler on the real dispatcher and supervisor in virtual time: the pool grows
// during a sustained backlog and not on a blip, shrinks after idle time, stays within its bounds,
// and no task is lost or run twice while agents come and go.
#include <algorithm>

#include "herd/supervision/pool_autoscaler.hpp"
#include "supervision/pool_fixture.hpp"

using namespace herd;
using namespace herd::test;

namespace {

struct autoscaler_fixture : pool_fixture {
  autoscaling_config scaling;
  caf::actor scaler;

  autoscaler_fixture() {
    scaling.min_agents = 1;
    scaling.max_agents = 4;
    scaling.target_queue_per_agent = 2;
    scaling.scale_up_after = from_ms(3000);
    scaling.scale_down_after = from_ms(5000);
    scaling.scale_up_cooldown = from_ms(2000);
    scaling.scale_down_cooldown = from_ms(3000);
    scaling.sample_interval = from_ms(500);
  }

  void start_scaler(int initial) {
    pool_autoscaler_peers peers;
    peers.pool = "p";
    peers.supervisor = caf::actor_cast<supervisor_actor>(sup);
    peers.dispatcher = [d = dispatcher] { return d; };
    peers.make_agent = [this] { return agent_spec(); };
    scaler = caf::actor_cast<caf::actor>(
        sys.spawn<pool_autoscaler>(scaling, initial, std::move(peers), metrics));
    extra.push_back(scaler);
    vt.run();
  }

  /// Advances `seconds` seconds, one at a time; returns the most agents running at once and
  /// the fewest.
  std::pair<size_t, size_t> advance(int seconds) {
    size_t most = 0;
    size_t fewest = SIZE_MAX;
    for (int i = 0; i < seconds; ++i) {
      vt.advance(from_ms(1000));
      drain_outcomes();
      auto n = running();
      most = std::max(most, n);
      fewest = std::min(fewest, n);
    }
    return {most, fewest};
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(pool_autoscaler_suite, autoscaler_fixture)

BOOST_AUTO_TEST_CASE(a_sustained_backlog_grows_the_pool_and_idle_time_shrinks_it) {
  start_pool(1);
  start_scaler(1);
  submit(60);
  auto [most, fewest] = advance(40);
  BOOST_TEST(most == 4u); // grew to max_agents, never above
  BOOST_TEST(fewest >= 1u);
  BOOST_TEST(count(supervision_event_kind::scaled_up) == 3u);
  BOOST_TEST(metrics->total("herd_pool_scale_ups_total", {{"pool", "p"}}) == 3.0);
  // Everything done by now; idle agents leave one at a time, down to min_agents.
  auto s = stats();
  BOOST_TEST(s.completed == 60u);
  std::tie(most, fewest) = advance(40);
  BOOST_TEST(running() == 1u);
  BOOST_TEST(fewest == 1u);
  BOOST_TEST(count(supervision_event_kind::scaled_down) == 3u);
  BOOST_TEST(metrics->total("herd_pool_agents", {{"pool", "p"}}) == 1.0);
  BOOST_TEST(each_ran_once());
  s = stats();
  BOOST_TEST(s.requeued == 0u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(a_blip_does_not_scale) {
  start_pool(1);
  start_scaler(1);
  // 4 tasks of 1 s on one agent: more than 2 queued for 2 s only.
  submit(4);
  advance(20);
  BOOST_TEST(count(supervision_event_kind::scaled_up) == 0u);
  BOOST_TEST(running() == 1u);
  BOOST_TEST(each_ran_once());
}

BOOST_AUTO_TEST_CASE(no_task_is_lost_or_run_twice_while_agents_come_and_go) {
  scaling.scale_down_after = from_ms(2000);
  scaling.scale_down_cooldown = from_ms(1000);
  scaling.scale_up_after = from_ms(1000);
  scaling.scale_up_cooldown = from_ms(1000);
  concurrency = 2;
  start_pool(2);
  start_scaler(2);
  // Waves of work with quiet spells between them: the pool grows and shrinks repeatedly, and
  // agents leave while others still hold leases.
  for (int wave = 0; wave < 6; ++wave) {
    submit(30 + wave * 7);
    advance(6);
    submit(3);
    advance(4);
  }
  advance(60);
  BOOST_TEST(count(supervision_event_kind::scaled_up) > 1u);
  BOOST_TEST(count(supervision_event_kind::scaled_down) > 1u);
  auto s = stats();
  BOOST_TEST(s.completed == static_cast<uint64_t>(submitted));
  BOOST_TEST(s.pending() == 0u);
  BOOST_TEST(s.requeued == 0u); // agents left only once their leases were done
  BOOST_TEST(s.balanced());
  BOOST_TEST(each_ran_once());
}

BOOST_AUTO_TEST_SUITE_END()
