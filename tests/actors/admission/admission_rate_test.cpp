#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>

#include "herd/admission/admission_rate.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

const time_point start = time_point{} + std::chrono::hours(1);

/// Calls admitted in [from, from + length) when one is offered every `step`.
int admitted_between(admission_rate& rate, time_point from, duration length, duration step = 1ms) {
  int admitted = 0;
  for (auto t = from; t < from + length; t += step)
    admitted += rate.try_acquire(t) ? 1 : 0;
  return admitted;
}

admission_policy configured(double per_s) {
  admission_policy policy;
  policy.rate_per_s = per_s;
  return policy;
}

} // namespace

BOOST_AUTO_TEST_SUITE(admission_rate_suite)

BOOST_AUTO_TEST_CASE(without_a_limit_every_call_is_admitted_until_the_service_throttles) {
  admission_rate rate{admission_policy{}, start};
  BOOST_TEST(std::isinf(rate.rate()));
  BOOST_TEST(to_string(rate.source(start)) == "unlimited");
  BOOST_TEST(admitted_between(rate, start, 1s) == 1000);
  // The service throttles: the rate falls to 70% of what was admitted in the last second.
  rate.on_throttle(start + 1s, start + 1s + 1ms);
  BOOST_TEST(rate.rate() == 700.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(to_string(rate.source(start + 2s)) == "learned");
}

BOOST_AUTO_TEST_CASE(a_configured_rate_admits_that_many_calls_per_second) {
  admission_rate rate{configured(100), start};
  BOOST_TEST(to_string(rate.source(start)) == "configured");
  // A full bucket (a tenth of a second's worth) plus 100 per second.
  auto first = admitted_between(rate, start, 1s);
  BOOST_TEST(first <= 110);
  BOOST_TEST(first >= 100);
  for (int second = 1; second < 5; ++second) {
    auto n = admitted_between(rate, start + std::chrono::seconds(second), 1s);
    BOOST_TEST(n >= 99);
    BOOST_TEST(n <= 101);
  }
  BOOST_TEST((rate.next_token(start + 5s) > start + 5s));
}

BOOST_AUTO_TEST_CASE(a_throttle_halves_at_most_once_per_round_of_calls) {
  admission_rate rate{configured(100), start};
  admitted_between(rate, start, 1s);
  rate.on_throttle(start + 500ms, start + 1s);
  BOOST_TEST(rate.rate() == 70.0, boost::test_tools::tolerance(1e-9));
  // Calls admitted before the decrease were already answered for.
  rate.on_throttle(start + 900ms, start + 1100ms);
  BOOST_TEST(rate.rate() == 70.0, boost::test_tools::tolerance(1e-9));
  // A call admitted after it decreases again.
  rate.on_throttle(start + 1050ms, start + 1200ms);
  BOOST_TEST(rate.rate() == 49.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(rate.last_good_rate() == 100.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(after_an_outage_the_rate_ramps_back_to_what_worked) {
  admission_rate rate{configured(100), start};
  // An outage: every call admitted after the last decrease fails, down to the floor.
  auto t = start;
  for (int i = 0; i < 30; ++i, t += 200ms) {
    rate.try_acquire(t);
    rate.on_throttle(t, t + 100ms);
  }
  BOOST_TEST(rate.rate() < 2.0);
  BOOST_TEST(rate.last_good_rate() == 100.0, boost::test_tools::tolerance(1e-9));
  // The service is back: each second the rate climbs half-way back, a ramp, not a wall.
  std::vector<double> ramp;
  for (int second = 1; second <= 8; ++second) {
    rate.try_acquire(t + std::chrono::seconds(second));
    ramp.push_back(rate.rate());
  }
  for (size_t i = 1; i < ramp.size(); ++i)
    BOOST_TEST(ramp[i] >= ramp[i - 1]);
  BOOST_TEST(ramp[0] <= 55);
  BOOST_TEST(ramp[2] >= 85);
  BOOST_TEST(ramp.back() == 100.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(to_string(rate.source(t + 9s)) == "configured");
}

BOOST_AUTO_TEST_CASE(a_learned_rate_probes_upward_only_while_calls_wait) {
  admission_rate rate{admission_policy{}, start};
  admitted_between(rate, start, 1s, 10ms); // 100 calls in the first second
  rate.on_throttle(start + 990ms, start + 1s);
  BOOST_TEST(rate.rate() == 70.0, boost::test_tools::tolerance(1e-9));
  // Demand far below the rate: it climbs back to 100 and stays there.
  for (int second = 1; second < 10; ++second)
    admitted_between(rate, start + std::chrono::seconds(second), 1s, 100ms);
  BOOST_TEST(rate.rate() == 100.0, boost::test_tools::tolerance(1e-9));
  // Demand above it: +5% of 100 per second.
  admitted_between(rate, start + 10s, 1s, 1ms);
  admitted_between(rate, start + 11s, 1s, 1ms);
  rate.try_acquire(start + 12s); // ends the second
  BOOST_TEST(rate.rate() == 110.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(under_a_published_ceiling_the_rate_climbs_back_within_seconds) {
  // The rate that worked was measured tiny (4/s); the service publishes 400/s. While calls wait,
  // the rate climbs by a share of the ceiling, so it is back within 1 / increase_share seconds
  // (it crawled up by 0.2/s each second, half an hour back to 400/s).
  admission_policy policy;
  policy.published_window = 1s;
  admission_rate rate{policy, start};
  admitted_between(rate, start, 4ms);
  rate.on_throttle(start + 2ms, start + 1010ms);
  BOOST_TEST(rate.rate() < 5.0);
  published_limit limit;
  limit.limit = 400;
  limit.remaining = 300;
  limit.reset = 500ms;
  rate.on_answer(limit, start + 1020ms);
  BOOST_TEST(rate.rate() < 5.0); // learned, under the ceiling
  auto t = start + 2s;
  for (int second = 0; second < 22; ++second, t += 1s)
    admitted_between(rate, t, 1s, 1ms); // demand far above the rate: calls wait every second
  rate.try_acquire(t);
  BOOST_TEST(rate.rate() == 400.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(to_string(rate.source(t)) == "published");
}

BOOST_AUTO_TEST_CASE(a_published_limit_sets_the_rate_and_an_exhausted_window_pauses) {
  admission_policy policy;
  policy.published_window = 1s;
  admission_rate rate{policy, start};
  published_limit limit;
  limit.limit = 50;
  limit.remaining = 10;
  limit.reset = 300ms;
  rate.on_answer(limit, start);
  BOOST_TEST(rate.rate() == 50.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(to_string(rate.source(start)) == "published");
  limit.remaining = 0;
  rate.on_answer(limit, start + 100ms);
  BOOST_TEST(!rate.try_acquire(start + 200ms));
  BOOST_TEST((rate.next_token(start + 200ms) == start + 400ms));
  BOOST_TEST(rate.try_acquire(start + 400ms));
  // A configured limit wins over a published one.
  admission_rate both{configured(20), start};
  both.on_answer(limit, start);
  BOOST_TEST(both.rate() == 20.0, boost::test_tools::tolerance(1e-9));
  // Ignored when the policy says so.
  policy.use_published = false;
  admission_rate deaf{policy, start};
  deaf.on_answer(limit, start);
  BOOST_TEST(std::isinf(deaf.rate()));
}

BOOST_AUTO_TEST_SUITE_END()
