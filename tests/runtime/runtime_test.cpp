// The runtime facade on the real scheduler: pools, blocking and future submits, shutdown.
// Nothing here waits on wall time: every wait is for a message that is already on its way.
#include <boost/test/unit_test.hpp>

#include "actors/test_agents.hpp"
#include "herd/herd.hpp"

using namespace herd;

BOOST_AUTO_TEST_SUITE(runtime_facade)

BOOST_AUTO_TEST_CASE(runs_tasks_through_a_pool) {
  runtime_config config;
  config.threads = 2;
  config.log_level = "warn";
  herd::runtime rt{config};
  auto runs = std::make_shared<std::map<std::string, int>>();
  auto agents = rt.spawn_pool<test::echo_agent>("llm", 3, runs);
  BOOST_TEST(agents.size() == 3u);
  auto result = rt.run(task::make("t-1", "read_only", {{"q", "hi"}}, "llm"));
  BOOST_REQUIRE(result);
  BOOST_TEST(result->ok());
  BOOST_TEST(result->result_json()["echo"]["q"] == "hi");
  std::vector<std::future<caf::expected<outcome>>> futures;
  for (int i = 0; i < 50; ++i)
    futures.push_back(rt.submit(task::make("f-" + std::to_string(i), "read_only", i, "llm")));
  for (auto& f : futures) {
    auto o = f.get();
    BOOST_REQUIRE(o);
    BOOST_TEST(o->ok());
  }
  auto report = rt.shutdown(from_ms(10000));
  BOOST_TEST(report.drained);
  BOOST_TEST(report.stats.completed == 51u);
  BOOST_TEST(report.stats.balanced());
  BOOST_TEST(rt.metrics().snapshot().contains("herd_tasks_accepted_total"));
}

BOOST_AUTO_TEST_CASE(refusals_are_errors_the_caller_sees) {
  runtime_config config;
  config.log_level = "warn";
  herd::runtime rt{config};
  auto result = rt.run(task::make("t-1", "read_only", nullptr, "no-such-pool"));
  BOOST_REQUIRE(!result);
  BOOST_TEST((result.error() == errc::unknown_pool));
  rt.shutdown(from_ms(1000));
  auto late = rt.run(task::make("t-2", "read_only", nullptr, "no-such-pool"));
  BOOST_REQUIRE(!late);
}

BOOST_AUTO_TEST_CASE(a_kind_without_a_policy_is_refused_unless_a_fallback_is_configured) {
  runtime_config config;
  config.log_level = "warn";
  {
    herd::runtime rt{config};
    rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
    auto refused = rt.run(task::make("charge-1", "payments", nullptr, "llm"));
    BOOST_REQUIRE(!refused);
    BOOST_TEST((refused.error() == errc::unknown_kind));
    auto text = rt.system().render(refused.error());
    BOOST_TEST(text.find("herd: unknown_kind") != std::string::npos, text);
    BOOST_TEST(text.find("\"payments\"") != std::string::npos, text);
    BOOST_TEST(static_cast<bool>(rt.run(task::make("charge-2", "payment", nullptr, "llm"))));
    rt.shutdown(from_ms(1000));
  }
  config.fallback_policy = "notification";
  herd::runtime rt{config};
  rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
  auto taken = rt.run(task::make("mail-1", "newsletter", nullptr, "llm"));
  BOOST_REQUIRE(taken);
  BOOST_TEST(taken->ok());
  rt.shutdown(from_ms(1000));
}

BOOST_AUTO_TEST_CASE(shutdown_hands_back_what_cannot_finish) {
  runtime_config config;
  config.log_level = "error";
  herd::runtime rt{config};
  rt.spawn_pool<test::silent_agent>("stuck", 1);
  auto held = rt.submit(task::make("held", "read_only", nullptr, "stuck"));
  auto queued = rt.submit(task::make("queued", "read_only", nullptr, "stuck"));
  // Wait until both are accepted (the stats request queues behind the submits).
  while (rt.stats().accepted < 2) {
  }
  auto report = rt.shutdown(from_ms(50));
  BOOST_TEST(!report.drained);
  BOOST_TEST(report.unfinished.size() == 2u);
  BOOST_TEST(report.stats.handed_back == 2u);
  BOOST_TEST(report.stats.balanced());
  BOOST_TEST((held.get()->status == outcome_status::handed_back));
  BOOST_TEST((queued.get()->status == outcome_status::handed_back));
}

BOOST_AUTO_TEST_SUITE_END()
