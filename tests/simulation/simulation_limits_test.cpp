// What `herd simulate` tells an operator before and after a run: memory it needs, the fleet it
// refuses, the drain minimum, lost or unreconciled runs and a permanent outage.
#include <boost/test/unit_test.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/simulation/memory_estimate.hpp"
#include "herd/simulation/simulation_report.hpp"
#include "simulation/scenario_json.hpp"

namespace {

herd::scenario read(const nlohmann::json& doc) {
  return herd::scenario::from_json(herd::json_reader{doc});
}

bool contains(const std::vector<std::string>& lines, const std::string& part) {
  for (auto& line : lines)
    if (line.find(part) != std::string::npos)
      return true;
  return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(simulation_limits)

BOOST_AUTO_TEST_CASE(the_herd_strategy_refuses_a_fleet_it_cannot_set_up) {
  auto doc = herd::test::small_scenario();
  doc["agents"] = 1000000;
  try {
    read(doc);
    BOOST_FAIL("no error");
  } catch (const herd::config_error& e) {
    BOOST_TEST(e.path() == "/agents");
    BOOST_TEST(std::string{e.what()}.find("[1, 200000] with the herd strategy") !=
               std::string::npos);
  }
  // The classic strategies are a few bytes per agent: the full million is fine.
  doc["strategies"] = {"immediate", "full_jitter"};
  BOOST_TEST(read(doc).agents == 1000000);
}

BOOST_AUTO_TEST_CASE(memory_is_estimated_before_the_run) {
  auto doc = herd::test::small_scenario();
  doc["agents"] = 50000;
  doc["workload"]["tasks"] = 100000000;
  auto huge = herd::memory_estimate{read(doc)};
  // 50000 herd agents at 7 kB and 10^8 tasks at 1 kB: about 100 GB, refused on most machines.
  BOOST_TEST(huge.bytes() > 100'000'000'000ull);
  BOOST_TEST(huge.describe().find("50000 agents of the herd strategy") != std::string::npos);
  auto small = herd::memory_estimate{read(herd::test::small_scenario())};
  BOOST_TEST(small.bytes() < 100'000'000ull);
  auto have = herd::memory_estimate::available_bytes();
  BOOST_REQUIRE(have.has_value()); // Linux: /proc/meminfo
  BOOST_TEST(*have > small.bytes());
  BOOST_TEST(herd::human_bytes(6'900'000'000ull) == "6.9 GB");
}

BOOST_AUTO_TEST_CASE(the_drain_minimum_uses_the_full_capacity_once_arrivals_stopped) {
  auto doc = herd::test::small_scenario();
  // 600 tasks at 30/s: arrivals end at 20 s; an outage from 5 s to 25 s ends after them.
  doc["service"]["error_rate"] = 0.0;
  doc["service"]["outages"] = {{{"start_s", 5}, {"duration_s", 20}}};
  auto s = read(doc);
  // 400 tasks left: nothing arrives any more, all 40/s of capacity drain them: 10 s (the
  // spare capacity of 10/s said 40 s).
  BOOST_TEST(*herd::strategy_result::drain_minimum(s, 400) == 10.0);
  // An outage that ends while arrivals go on: the spare capacity while they last.
  doc["service"]["outages"] = {{{"start_s", 5}, {"duration_s", 4}}};
  s = read(doc);
  BOOST_TEST(*herd::strategy_result::drain_minimum(s, 50) == 5.0);   // 50 / 10 within 11 s
  BOOST_TEST(*herd::strategy_result::drain_minimum(s, 150) == 12.0); // 11 s for 110, 40 at 40/s
  // More offered than the capacity: nothing drains until the arrivals stop.
  doc["workload"]["rate_per_s"] = 50;
  s = read(doc);
  // Arrivals end at 12 s (600 / 50): 3 s of growth by 10/s, then (100 + 30) / 40.
  BOOST_TEST(*herd::strategy_result::drain_minimum(s, 100) == 3.0 + 130.0 / 40);
  doc["service"]["outages"] = nlohmann::json::array();
  BOOST_TEST(!herd::strategy_result::drain_minimum(read(doc), 100).has_value());
}

BOOST_AUTO_TEST_CASE(the_drain_minimum_counts_the_calls_that_fail_anyway) {
  auto doc = herd::test::small_scenario();
  doc["service"]["outages"] = {{{"start_s", 5}, {"duration_s", 4}}};
  // A quarter of the served calls fail with 500: 40 calls/s complete 30 tasks/s, so with 30/s
  // arriving nothing is spare while arrivals go on (11 s), then 30/s drain what is left.
  doc["service"]["error_rate"] = 0.25;
  BOOST_TEST(*herd::strategy_result::drain_minimum(read(doc), 60) == 11.0 + 60.0 / 30);
}

BOOST_AUTO_TEST_CASE(lost_unreconciled_and_permanent_outages_are_reported) {
  auto doc = herd::test::small_scenario();
  doc["service"]["outages"] = {{{"start_s", 5}, {"duration_s", 100000}}};
  auto s = read(doc);
  herd::simulation_report report;
  herd::strategy_result fine;
  fine.strategy = "immediate";
  fine.completion_time_s = 200;
  auto broken = fine;
  broken.strategy = "herd";
  broken.tasks_lost = 3;
  broken.reconciled = false;
  report.results = {fine, broken};
  auto problems = report.problems(s);
  BOOST_TEST(contains(problems, "herd: 3 tasks lost"));
  BOOST_TEST(contains(problems, "herd: not reconciled"));
  BOOST_TEST(contains(problems, "outage lasts until 100005 s, after every task ended "
                                "(immediate, herd): a permanent outage"));
  BOOST_TEST(!contains(problems, "immediate: "));
  doc["service"]["outages"] = {{{"start_s", 5}, {"duration_s", 4}}};
  report.results = {fine};
  BOOST_TEST(report.problems(read(doc)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
