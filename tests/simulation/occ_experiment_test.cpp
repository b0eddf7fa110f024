// The AWS optimistic-concurrency experiment: delay formulas, the blog's headline finding, and the
// herd line on the real retry scheduler.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/retry/backoff.hpp"
#include "herd/simulation/occ_experiment.hpp"
#include "herd/simulation/occ_scheduler_harness.hpp"

namespace {

double ms(herd::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

const herd::occ_experiment::point& point_of(const std::vector<herd::occ_experiment::point>& xs,
                                            const std::string& strategy) {
  return *std::find_if(xs.begin(), xs.end(), [&](auto& p) { return p.strategy == strategy; });
}

} // namespace

BOOST_AUTO_TEST_SUITE(simulation_occ)

BOOST_AUTO_TEST_CASE(classic_delays_follow_their_formulas) {
  herd::backoff delays{5};
  auto expo = [](int n) { return std::min(2000.0, 5.0 * std::pow(2.0, n)); };
  auto exponential = herd::occ_experiment::policy_of("exponential");
  for (int n = 1; n <= 12; ++n)
    BOOST_TEST(ms(delays.next(exponential, "c", n)) == expo(n));
  auto none = herd::occ_experiment::policy_of("none");
  BOOST_TEST(ms(delays.next(none, "c", 3)) == 0.0);
  for (int n = 1; n <= 12; ++n)
    for (int i = 0; i < 50; ++i) {
      auto full = ms(delays.next(herd::occ_experiment::policy_of("full_jitter"), "c", n));
      BOOST_TEST((full >= 0 && full <= expo(n)));
      auto equal = ms(delays.next(herd::occ_experiment::policy_of("equal_jitter"), "c", n));
      BOOST_TEST((equal >= expo(n) / 2 && equal <= expo(n)));
    }
  auto decorrelated = herd::occ_experiment::policy_of("decorrelated_jitter");
  double previous = 5;
  for (int n = 1; n <= 30; ++n) {
    auto sleep = ms(delays.next(decorrelated, "d", n));
    BOOST_TEST((sleep >= 5 && sleep <= std::min(2000.0, 3 * previous) + 1e-6));
    previous = sleep;
  }
}

BOOST_AUTO_TEST_CASE(one_client_writes_once) {
  for (auto& name : herd::occ_experiment::strategy_names()) {
    auto t = herd::occ_experiment::run_trial(name, 1, 1);
    BOOST_TEST(t.calls == 1u);
    BOOST_TEST((t.time_ms > 0 && t.time_ms < 100));
  }
}

BOOST_AUTO_TEST_CASE(full_jitter_needs_fewer_calls_than_exponential_and_herd_fewer_still) {
  auto points = herd::occ_experiment::run({50}, 20);
  auto json = herd::occ_experiment::to_json(points);
  BOOST_TEST(json["experiment"] == "aws-occ");
  BOOST_TEST(json["results"].size() == 6u);
  auto& exponential = point_of(points, "exponential");
  auto& full = point_of(points, "full_jitter");
  auto& herd = point_of(points, "herd");
  BOOST_TEST_MESSAGE("calls at 50 clients: exponential " << exponential.mean_calls << ", full "
                                                         << full.mean_calls << ", herd "
                                                         << herd.mean_calls);
  BOOST_TEST(full.mean_calls < exponential.mean_calls);
  BOOST_TEST(herd.mean_calls <= full.mean_calls / 2);
  BOOST_TEST(full.mean_time_ms < exponential.mean_time_ms);
}

BOOST_AUTO_TEST_CASE(herd_retries_are_released_by_the_retry_scheduler) {
  auto herd = herd::occ_experiment::run_trial("herd", 20, 3);
  // Every write after a client's first started with a release of the scheduler.
  BOOST_TEST(herd.calls > 20u);
  BOOST_TEST(herd.scheduler_releases == herd.calls - 20);
  auto full = herd::occ_experiment::run_trial("full_jitter", 20, 3);
  BOOST_TEST(full.scheduler_releases == 0u);
}

BOOST_AUTO_TEST_CASE(the_scheduler_paces_the_retries_of_the_row) {
  herd::occ_scheduler_harness scheduler{3, 1};
  std::vector<std::pair<double, int32_t>> releases;
  auto keep = [&](const std::vector<int32_t>& clients, double at) {
    for (auto c : clients)
      releases.emplace_back(at, c);
  };
  for (int32_t c = 0; c < 3; ++c)
    keep(scheduler.write_failed(c, 40), 40);
  BOOST_TEST(scheduler.next_timer_ms().has_value());
  while (releases.size() < 3) {
    auto at = scheduler.next_timer_ms();
    BOOST_REQUIRE(at.has_value());
    keep(scheduler.fire_next_timer(), *at);
  }
  BOOST_TEST(scheduler.releases() == 3u);
  std::vector<int32_t> clients;
  for (auto& [at, c] : releases)
    clients.push_back(c);
  std::sort(clients.begin(), clients.end());
  BOOST_TEST(clients == (std::vector<int32_t>{0, 1, 2}));
  // One at a time, at the configured 40 retries per second (a burst of one).
  for (size_t i = 1; i < releases.size(); ++i)
    BOOST_TEST(releases[i].first - releases[i - 1].first >= 25 - 1e-3);
  // A second failure of a released client goes back to the scheduler as its attempt 2.
  keep(scheduler.write_failed(releases.front().second, releases.back().first + 30),
       releases.back().first + 30);
  while (releases.size() < 4) {
    auto at = scheduler.next_timer_ms();
    BOOST_REQUIRE(at.has_value());
    keep(scheduler.fire_next_timer(), *at);
  }
  BOOST_TEST(scheduler.releases() == 4u);
}

BOOST_AUTO_TEST_CASE(the_scheduler_is_configured_as_a_user_would) {
  // The settings are what a user writes under "retry" in the runtime's config.
  auto user = nlohmann::json::parse(R"({"seed": 7,
      "pacing": {"initial_rate": 40, "max_rate": 40, "burst": 1},
      "budget": {"min_retries_per_s": 40}})");
  auto read = herd::retry_scheduler_config::from_json(herd::json_reader{user, "/retry"});
  BOOST_TEST(read.to_json() == herd::occ_scheduler_harness::settings(7).to_json());
  // The policy too has its JSON form under "policies".
  auto policy = herd::occ_scheduler_harness::policy().to_json();
  auto read_policy = herd::failure_policy::from_json(herd::json_reader{policy, "/policies"});
  BOOST_TEST(read_policy.to_json() == policy);
}

BOOST_AUTO_TEST_CASE(herd_on_the_scheduler_meets_the_aws_target_at_100_clients,
                     *boost::unit_test::timeout(60)) {
  // Issue #14: at 100 clients, at most half of full jitter's write calls, and no slower.
  auto points = herd::occ_experiment::run({100}, 10);
  auto& full = point_of(points, "full_jitter");
  auto& herd = point_of(points, "herd");
  BOOST_TEST_MESSAGE("100 clients, 10 trials: full_jitter "
                     << full.mean_calls << " calls, " << full.mean_time_ms << " ms; herd "
                     << herd.mean_calls << " calls, " << herd.mean_time_ms << " ms");
  BOOST_TEST(herd.mean_calls <= full.mean_calls / 2);
  BOOST_TEST(herd.mean_time_ms <= full.mean_time_ms);
}

BOOST_AUTO_TEST_SUITE_END()
