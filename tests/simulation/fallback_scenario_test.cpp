// The committed scenario of issue #15 (benchmarks/scenarios/fallback-outage.json): a primary
// service out for 60 s and a fallback at a third of its capacity. herd with the fallback chain
// completes every task, with a lower p99 latency than herd without it (same seed).
#include <boost/test/unit_test.hpp>

#include "herd/core/logging.hpp"
#include "herd/simulation/simulation_report.hpp"
#include "simulation/scenario_json.hpp"

using herd::test::result_of;

BOOST_AUTO_TEST_SUITE(simulation_fallback)

BOOST_AUTO_TEST_CASE(the_chain_completes_every_task_with_a_lower_p99) {
  herd::set_log_level("off");
  auto s = herd::scenario::load(std::string{HERD_TESTS_SOURCE_DIR} +
                                "/../benchmarks/scenarios/fallback-outage.json");
  BOOST_REQUIRE(s.fallback.has_value());
  BOOST_TEST(s.outages.size() == 1u);
  BOOST_TEST(s.outages[0].duration_s == 60.0);
  BOOST_TEST(s.fallback->behaviour->capacity_per_s == s.capacity_per_s / 3);
  auto report = herd::simulation_report::run(s);
  auto& with = result_of(report, "with_chain");
  auto& without = result_of(report, "without_chain");
  for (auto* r : {&with, &without})
    BOOST_TEST_MESSAGE(r->strategy << ": " << r->to_json().dump());
  for (auto* r : {&with, &without}) {
    BOOST_TEST_CONTEXT(r->strategy) {
      BOOST_TEST(r->tasks_submitted == static_cast<uint64_t>(s.tasks));
      BOOST_TEST(r->tasks_lost == 0);
      BOOST_TEST(r->reconciled);
    }
  }
  // With the chain every task completes, the fallback serving a share during the outage.
  BOOST_TEST(with.tasks_completed == with.tasks_submitted);
  BOOST_TEST(with.served_by.at("light") > 0u);
  BOOST_TEST(with.served_by.at("service") + with.served_by.at("light") == with.tasks_completed);
  BOOST_TEST(*with.fallback_calls > 0u);
  // Without it the fallback is never called and the outage's tasks wait it out.
  BOOST_TEST(without.served_by.count("light") == 0u);
  BOOST_TEST(*without.fallback_calls == 0u);
  BOOST_TEST(with.latency_p99_ms < without.latency_p99_ms);
}

BOOST_AUTO_TEST_SUITE_END()
