// The AWS optimistic-concurrency experiment: delay formulas and the blog's headline finding.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "herd/retry/backoff.hpp"
#include "herd/simulation/occ_experiment.hpp"

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

BOOST_AUTO_TEST_SUITE_END()
