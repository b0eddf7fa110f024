// Autoscaling and recycling through the runtime in virtual time: the pool named in the config
// grows with its backlog through its supervisor and shrinks after, recycled agents are replaced,
// and every task runs once.
#include <future>

#include "herd/runtime/runtime.hpp"
#include "supervision/pool_fixture.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace herd::test;

namespace {

struct runtime_pools_fixture : virtual_time_fixture {
  runtime_config config;
  std::unique_ptr<herd::runtime> rt;
  run_counter runs = std::make_shared<std::map<std::string, int>>();
  std::vector<std::future<caf::expected<outcome>>> futures;

  runtime_pools_fixture() {
    config.log_level = "off";
    config.dispatcher.lease_timeout = from_ms(600000);
    auto& scaling = config.pools["p"].autoscaling.emplace();
    scaling.min_agents = 1;
    scaling.max_agents = 3;
    scaling.target_queue_per_agent = 1;
    scaling.scale_up_after = from_ms(1000);
    scaling.scale_down_after = from_ms(2000);
    scaling.scale_up_cooldown = from_ms(500);
    scaling.scale_down_cooldown = from_ms(500);
    scaling.sample_interval = from_ms(250);
  }

  ~runtime_pools_fixture() {
    rt.reset();
    vt.run();
  }

  void start(size_t agents) {
    rt = std::make_unique<herd::runtime>(sys, config);
    rt->spawn_pool<timed_agent>("p", agents, runs, from_ms(1000), std::shared_ptr<uint64_t>{});
    vt.run();
  }

  void submit(int n) {
    for (int i = 0; i < n; ++i)
      futures.push_back(
          rt->submit(task::make("t" + std::to_string(futures.size()), "read_only", nullptr, "p")));
    vt.run();
  }

  size_t members() {
    auto pools = rt->pools(); // a copy: iterate what outlives the loop
    size_t n = 0;
    for (auto& agent : pools.at("p"))
      n += agent ? 1 : 0;
    return n;
  }

  size_t answered() {
    size_t n = 0;
    for (auto& f : futures)
      if (f.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        ++n;
    return n;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_pools, runtime_pools_fixture)

BOOST_AUTO_TEST_CASE(a_configured_pool_grows_with_its_backlog_and_shrinks_after) {
  start(1);
  submit(20);
  size_t most = 0;
  for (int i = 0; i < 10; ++i) {
    vt.advance(from_ms(1000));
    most = std::max(most, members());
  }
  BOOST_TEST(most == 3u);
  BOOST_TEST(rt->metrics().total("herd_pool_scale_ups_total", {{"pool", "p"}}) == 2.0);
  for (int i = 0; i < 30; ++i)
    vt.advance(from_ms(1000));
  BOOST_TEST(answered() == 20u);
  BOOST_TEST(members() == 1u);
  BOOST_TEST(rt->metrics().total("herd_pool_agents", {{"pool", "p"}}) == 1.0);
  BOOST_TEST(runs->size() == 20u);
  for (auto& [id, n] : *runs)
    BOOST_TEST(n == 1, id);
  auto stats = rt->stats();
  BOOST_TEST(stats.requeued == 0u);
  BOOST_TEST(stats.balanced());
}

BOOST_AUTO_TEST_CASE(a_configured_pool_recycles_its_agents) {
  config.pools["p"].autoscaling.reset();
  config.pools["p"].recycling.max_tasks = 2;
  start(2);
  submit(10);
  for (int i = 0; i < 15; ++i)
    vt.advance(from_ms(1000));
  BOOST_TEST(answered() == 10u);
  BOOST_TEST(rt->metrics().total("herd_agents_recycled_total") >= 3.0);
  BOOST_TEST(rt->metrics().total("herd_restarts_total") == 0.0);
  BOOST_TEST(members() == 2u);
  for (auto& [id, n] : *runs)
    BOOST_TEST(n == 1, id);
  BOOST_TEST(rt->stats().requeued == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
