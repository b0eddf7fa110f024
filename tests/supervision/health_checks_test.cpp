// The health monitor's checks without an actor system: deadline detection, the liveness board,
// suspect -> isolated -> replaced bookkeeping, stale heartbeats and the health view.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "herd/supervision/health_checks.hpp"

using namespace herd;

namespace {

time_point at_ms(int64_t ms) {
  return from_epoch_ms(ms);
}

int64_t ns_of(int64_t ms) {
  return at_ms(ms).time_since_epoch().count();
}

/// Deadline detector, 1 s interval, suspect after more than 2 missed; checks every 250 ms.
health_monitor_config deadline_config() {
  return health_monitor_config{};
}

} // namespace

BOOST_AUTO_TEST_SUITE(health_checks_suite)

BOOST_AUTO_TEST_CASE(a_silent_agent_is_suspected_after_the_deadline_and_isolated_once) {
  health_checks checks{deadline_config()};
  checks.track("a", {}, {}, std::nullopt, at_ms(0));
  BOOST_TEST(checks.check_all(at_ms(1000)).empty());
  BOOST_TEST(checks.check_all(at_ms(2000)).empty());
  auto& found = checks.check_all(at_ms(2250));
  BOOST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].name == "a");
  BOOST_TEST(found[0].reason == "no heartbeat for 2250 ms");
  BOOST_TEST((checks.state_of("a") == health_state::isolated));
  BOOST_TEST(checks.check_all(at_ms(5000)).empty());
}

BOOST_AUTO_TEST_CASE(heartbeats_keep_an_agent_healthy) {
  health_checks checks{deadline_config()};
  checks.track("a", {}, {}, std::nullopt, at_ms(0));
  for (int64_t t = 1000; t <= 10000; t += 1000) {
    BOOST_TEST(checks.heartbeat("a", nullptr, static_cast<uint64_t>(t / 1000), at_ms(t)));
    BOOST_TEST(checks.check_all(at_ms(t + 500)).empty());
  }
  BOOST_TEST((checks.state_of("a") == health_state::healthy));
  BOOST_TEST(!checks.heartbeat("nobody", nullptr, 1, at_ms(0)));
}

BOOST_AUTO_TEST_CASE(a_busy_board_watched_agent_is_not_suspected_until_it_hangs) {
  auto board = std::make_shared<liveness_board>(4);
  health_checks checks{deadline_config(), board};
  auto busy = board->acquire();
  auto idle = board->acquire();
  checks.track("busy", {}, {}, busy, at_ms(0));
  checks.track("idle", {}, {}, idle, at_ms(0));
  board->enter(busy, ns_of(100));
  // Busy, but within max_missed * interval - check_interval = 1750 ms; the idle one sends
  // nothing and is never suspected.
  BOOST_TEST(checks.check_all(at_ms(1500)).empty());
  auto& found = checks.check_all(at_ms(1900));
  BOOST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].name == "busy");
  BOOST_TEST(found[0].reason == "busy in one handler for 1800 ms");
  BOOST_TEST(checks.check_all(at_ms(60000)).empty());
  BOOST_TEST((checks.state_of("idle") == health_state::healthy));
}

BOOST_AUTO_TEST_CASE(suspect_isolated_restarting_then_a_new_incarnation_is_healthy) {
  health_checks checks{deadline_config()};
  checks.track("a", {}, {}, std::nullopt, at_ms(0));
  BOOST_TEST(checks.check_all(at_ms(2250)).size() == 1u);
  BOOST_TEST((checks.state_of("a") == health_state::isolated));
  checks.set_state("a", health_state::restarting, at_ms(2300));
  BOOST_TEST((checks.state_of("a") == health_state::restarting));
  // The old incarnation goes; restarting stays restarting.
  checks.gone("a", caf::actor_addr{}, at_ms(2400));
  BOOST_TEST((checks.state_of("a") == health_state::restarting));
  checks.track("a", {}, {}, std::nullopt, at_ms(2500));
  BOOST_TEST((checks.state_of("a") == health_state::healthy));
  BOOST_TEST(checks.size() == 1u);
  // The new incarnation's detector starts at its tracking.
  BOOST_TEST(checks.check_all(at_ms(4500)).empty());
  BOOST_TEST(checks.check_all(at_ms(4750)).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_gone_agent_is_stopped_and_no_longer_checked) {
  health_checks checks{deadline_config()};
  checks.track("a", {}, {}, std::nullopt, at_ms(0));
  checks.gone("a", caf::actor_addr{}, at_ms(100));
  BOOST_TEST((checks.state_of("a") == health_state::stopped));
  BOOST_TEST(checks.check_all(at_ms(10000)).empty());
  checks.untrack("a");
  BOOST_TEST(!checks.state_of("a"));
  BOOST_TEST(checks.size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_stuck_report_counts_and_checks_at_once) {
  health_checks checks{deadline_config()};
  checks.track("a", {}, {}, std::nullopt, at_ms(0));
  BOOST_TEST(!checks.stuck("nobody"));
  auto last = checks.stuck("a");
  BOOST_REQUIRE(last);
  BOOST_TEST(to_epoch_ms(*last) == 0);
  BOOST_TEST(!checks.check("a", at_ms(1000)));
  auto s = checks.check("a", at_ms(2100));
  BOOST_REQUIRE(s);
  BOOST_TEST(s->reason == "no heartbeat for 2100 ms");
  BOOST_TEST(checks.view(at_ms(2100)).agents[0].stuck_reports == 1u);
}

BOOST_AUTO_TEST_CASE(the_view_is_sorted_by_name_with_detector_values) {
  health_checks checks{deadline_config()};
  checks.track("b", {}, {}, std::nullopt, at_ms(0));
  checks.track("a", {}, {}, std::nullopt, at_ms(0));
  checks.heartbeat("a", nullptr, 7, at_ms(1000));
  auto view = checks.view(at_ms(1500));
  BOOST_REQUIRE(view.agents.size() == 2u);
  BOOST_TEST(view.agents[0].name == "a");
  BOOST_TEST(view.agents[0].last_seq == 7u);
  BOOST_TEST(to_ms(view.agents[0].silent) == 500);
  BOOST_TEST(view.agents[1].missed_intervals == 1.5);
  auto j = view.to_json();
  BOOST_TEST(j["detector"] == "deadline");
  BOOST_TEST(j["agents"][1]["name"] == "b");
  BOOST_TEST(j["agents"][0]["phi"].is_null());
}

BOOST_AUTO_TEST_CASE(an_idle_board_watched_agent_shows_no_missed_intervals) {
  // Before: it sends no heartbeat messages, so its view said "silent for a minute, 60 missed
  // intervals" while it was fine.
  auto board = std::make_shared<liveness_board>(4);
  health_checks checks{deadline_config(), board};
  auto idle = board->acquire();
  auto busy = board->acquire();
  checks.track("idle", {}, {}, idle, at_ms(0));
  checks.track("busy", {}, {}, busy, at_ms(0));
  board->enter(busy, ns_of(59500));
  auto view = checks.view(at_ms(60000));
  auto* a = view.find("idle");
  BOOST_REQUIRE(a);
  BOOST_TEST(a->board_watched);
  BOOST_TEST(to_ms(a->silent) == 0);
  BOOST_TEST(a->missed_intervals == 0.0);
  BOOST_TEST(to_epoch_ms(a->last_heartbeat) == 60000);
  auto* b = view.find("busy");
  BOOST_REQUIRE(b);
  BOOST_TEST(to_ms(b->silent) == 500);
  BOOST_TEST(b->missed_intervals == 0.5);
  BOOST_TEST(view.to_json()["agents"][1]["missed_intervals"] == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
