// herd simulate --live and --scale: the scaled scenario, the mock configured from it, the calls
// counted at the mock, and a small fleet of classic clients that come back together when every
// 429 says the same Retry-After.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/mock_llm/mock_llm_server.hpp"
#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/live_fleet.hpp"
#include "herd/simulation/live_run.hpp"
#include "herd/simulation/scale_scenario.hpp"
#include "herd/simulation/strategy_result.hpp"
#include "simulation/scenario_json.hpp"

using herd::mock_llm_profile;
using herd::scenario;

namespace {

scenario small() {
  auto doc = herd::test::small_scenario();
  return scenario::from_json(herd::json_reader{doc});
}

/// The requests the mock counted in each whole second since its start (0 for a quiet second).
std::vector<int64_t> requests_per_second(const nlohmann::json& stats) {
  std::vector<int64_t> result;
  for (auto& s : stats.at("per_second")) {
    auto second = s.at("second").get<size_t>();
    if (second >= result.size())
      result.resize(second + 1);
    result[second] = s.at("requests").get<int64_t>();
  }
  return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(simulation_live)

BOOST_AUTO_TEST_CASE(scaling_sizes_the_load_and_keeps_every_duration) {
  auto s = small();
  auto scaled = herd::scale_scenario(s, 0.5);
  BOOST_TEST(scaled.agents == 10);
  BOOST_TEST(scaled.tasks == 300);
  BOOST_TEST(scaled.rate_per_s == 15.0);
  BOOST_TEST(scaled.capacity_per_s == 20.0);
  BOOST_TEST(scaled.duration_s == s.duration_s);
  BOOST_TEST(scaled.outages[0].start_s == s.outages[0].start_s);
  BOOST_TEST(scaled.outages[0].duration_s == s.outages[0].duration_s);
  BOOST_TEST(scaled.latency_mean_ms == s.latency_mean_ms);
  BOOST_TEST(scaled.base_ms == s.base_ms);
  BOOST_TEST(scaled.name == "small@x0.5");
  BOOST_TEST(herd::scale_scenario(s, 1).name == "small");
  BOOST_TEST(herd::scale_scenario(s, 0.001).agents == 1); // never below one
  BOOST_CHECK_THROW(herd::scale_scenario(s, 0), std::invalid_argument);
  BOOST_CHECK_THROW(herd::scale_scenario(s, 1001), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(the_mock_tells_the_scenarios_story) {
  auto s = small();
  s.capacity_per_s = 40.4;
  s.overload_status = 503;
  s.overload_retry_after_s = 5;
  auto p = herd::live_run::mock_profile(s);
  BOOST_TEST(p.capacity_per_s == 40);
  BOOST_REQUIRE(p.outages.size() == 1u);
  BOOST_TEST(p.outages[0].start_ms == 5000);
  BOOST_TEST(p.outages[0].length_ms == 4000);
  BOOST_TEST(p.latency_min_ms == 50); // uniform around the scenario's mean of 100 ms
  BOOST_TEST(p.latency_max_ms == 150);
  BOOST_TEST(p.error_rate == 0.01);
  BOOST_TEST(p.overload_status == 503);
  BOOST_TEST((p.overload_retry_after == mock_llm_profile::retry_after_kind::fixed));
  BOOST_TEST(p.overload_retry_after_s == 5.0);
  BOOST_TEST(!p.publish_limits);
  BOOST_TEST(p.threads >= s.agents + 1); // every agent's connection and the /stats reader
  s.overload_retry_after_s.reset();
  BOOST_TEST((herd::live_run::mock_profile(s).overload_retry_after ==
              mock_llm_profile::retry_after_kind::none));
}

BOOST_AUTO_TEST_CASE(calls_and_their_failures_are_counted_at_the_server) {
  auto stats = nlohmann::json::parse(R"({"per_second": [
    {"second": 0, "requests": 5, "by_status": {"200": 3, "429": 2}},
    {"second": 2, "requests": 4, "by_status": {"200": 1, "503": 2, "none": 1}}]})");
  herd::run_recorder recorder;
  herd::live_run::record_server_calls(stats, recorder);
  recorder.close_until(3);
  BOOST_TEST(recorder.calls() == 9u);
  BOOST_TEST(recorder.failed_calls() == 5u);
  auto series = recorder.series();
  BOOST_REQUIRE(series.size() == 3u);
  BOOST_TEST(series[0].calls == 5u);
  BOOST_TEST(series[1].calls == 0u);
  BOOST_TEST(series[2].calls == 4u);
  BOOST_TEST(series[2].failed == 3u);
}

// Ten tasks at once against a capacity of 5/s whose 429s all say "retry-after: 2": the classic
// clients obey it to the millisecond, as the official SDKs do, so the five refused come back
// together two seconds later and nobody calls in between.
BOOST_AUTO_TEST_CASE(classic_clients_come_back_together_after_the_same_retry_after) {
  auto s = small();
  s.agents = 10;
  s.tasks = 10;
  s.rate_per_s = 10000;
  s.duration_s = 1;
  s.outages.clear();
  s.error_rate = 0;
  s.capacity_per_s = 5;
  s.latency_mean_ms = 10;
  s.overload_retry_after_s = 2;
  herd::arrival_schedule arrivals{s};
  auto recorder = std::make_shared<herd::run_recorder>();
  herd::mock_llm_server mock{herd::live_run::mock_profile(s)};
  mock.start("127.0.0.1", 0);
  herd::live_fleet fleet{s, "full_jitter", arrivals, mock.url(), recorder};
  fleet.run(30);
  mock.stop();
  BOOST_TEST(recorder->ended(herd::task_end::completed) == 10u);
  auto calls = requests_per_second(mock.stats());
  BOOST_TEST_MESSAGE("calls per second: " << nlohmann::json(calls).dump());
  BOOST_REQUIRE(calls.size() == 3u);
  BOOST_TEST(calls[0] == 10);
  BOOST_TEST(calls[1] == 0);
  BOOST_TEST(calls[2] == 5);
}

BOOST_AUTO_TEST_SUITE_END()
