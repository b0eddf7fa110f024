// Whole runs of a small scenario: repeatable, nothing lost, herd keeps the service near capacity.
#include <boost/test/unit_test.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/core/logging.hpp"
#include "herd/simulation/simulation_report.hpp"
#include "simulation/scenario_json.hpp"

using herd::test::result_of;

namespace {

herd::simulation_report run_small() {
  herd::set_log_level("off");
  auto doc = herd::test::small_scenario();
  auto s = herd::scenario::from_json(herd::json_reader{doc});
  return herd::simulation_report::run(s);
}

} // namespace

BOOST_AUTO_TEST_SUITE(simulation_run)

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_report) {
  auto first = run_small().to_json();
  auto second = run_small().to_json();
  BOOST_TEST(first.dump() == second.dump());
  BOOST_TEST(first["scenario"] == "small");
  BOOST_TEST(first["results"].size() == 6u);
}

BOOST_AUTO_TEST_CASE(every_strategy_accounts_for_every_task) {
  auto report = run_small();
  for (auto& r : report.results) {
    BOOST_TEST_CONTEXT(r.strategy) {
      BOOST_TEST(r.tasks_submitted > 500u);
      BOOST_TEST(r.tasks_lost == 0);
      BOOST_TEST(r.reconciled);
      BOOST_TEST(r.tasks_completed + r.tasks_dead_lettered + r.tasks_escalated + r.tasks_failed ==
                 r.tasks_submitted);
      BOOST_TEST(r.calls_total >= r.tasks_submitted);
      BOOST_TEST(r.amplification == std::round(1000.0 * r.calls_total / r.tasks_submitted) / 1000);
      BOOST_TEST(r.drain_time_s.has_value());
      // The per-second series adds up to the totals.
      uint64_t calls = 0;
      for (auto& s : r.series)
        calls += s.calls;
      BOOST_TEST(calls == r.calls_total);
    }
  }
}

BOOST_AUTO_TEST_CASE(herd_keeps_a_recovering_service_near_its_capacity) {
  auto report = run_small();
  auto& immediate = result_of(report, "immediate");
  auto& herd = result_of(report, "herd");
  BOOST_TEST_MESSAGE("immediate peak/capacity " << immediate.peak_over_capacity << ", herd "
                                                << herd.peak_over_capacity);
  BOOST_TEST(immediate.peak_over_capacity >= 3.0);
  BOOST_TEST(herd.peak_over_capacity <= 1.2);
  BOOST_TEST(herd.tasks_completed >= immediate.tasks_completed);
  BOOST_TEST(herd.amplification < immediate.amplification);
}

BOOST_AUTO_TEST_CASE(a_fallback_service_is_spawned_and_reported_per_tier) {
  herd::set_log_level("off");
  auto doc = herd::test::small_scenario();
  auto light = doc["service"];
  light["outages"] = nlohmann::json::array();
  doc["fallback"] = {{"name", "light"}, {"service", light}};
  doc["strategies"] = {"full_jitter", "without_chain"};
  auto s = herd::scenario::from_json(herd::json_reader{doc});
  auto report = herd::simulation_report::run(s);
  for (auto& r : report.results) {
    BOOST_TEST_CONTEXT(r.strategy) {
      BOOST_TEST(r.tasks_lost == 0);
      BOOST_TEST(r.reconciled);
      // Without a chain every completed task is the primary's; nobody calls the fallback.
      BOOST_TEST(r.served_by.size() == 1u);
      BOOST_TEST(r.served_by.at("service") == r.tasks_completed);
      BOOST_REQUIRE(r.fallback_calls.has_value());
      BOOST_TEST(*r.fallback_calls == 0u);
      auto json = r.to_json();
      BOOST_TEST(json["served_by"]["service"] == r.tasks_completed);
      BOOST_TEST(json["fallback_calls"] == 0);
    }
  }
  // A scenario without a fallback keeps its report as it was.
  BOOST_TEST(!herd::strategy_result{}.to_json().contains("served_by"));
}

BOOST_AUTO_TEST_SUITE_END()
