#include <boost/test/unit_test.hpp>

#include <chrono>
#include <limits>

#include "herd/admission/concurrency_limit.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

admission_policy adaptive(int64_t start_limit) {
  admission_policy policy;
  policy.concurrency = concurrency_mode::adaptive;
  policy.concurrency_limit = start_limit;
  policy.min_concurrency = 2;
  policy.max_concurrency = 64;
  return policy;
}

/// Finishes one window of `limit.limit()` calls, each with `latency`, at full use.
void window(concurrency_limit& limit, duration latency, bool throttled = false) {
  auto n = limit.limit();
  for (int64_t i = 0; i < n; ++i)
    limit.on_finished(n - 1, latency, throttled && i == 0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(concurrency_limit_suite)

BOOST_AUTO_TEST_CASE(without_a_mode_there_is_no_limit) {
  concurrency_limit none{admission_policy{}};
  BOOST_TEST(none.limit() == std::numeric_limits<int64_t>::max());
  BOOST_TEST(none.allows(1000000));
}

BOOST_AUTO_TEST_CASE(an_adaptive_limit_grows_while_latency_holds_and_shrinks_when_it_rises) {
  concurrency_limit limit{adaptive(16)};
  window(limit, 100ms); // sets the baseline
  BOOST_TEST(to_ms(limit.baseline()) == 100);
  auto grown = limit.limit();
  BOOST_TEST(grown == 20); // + sqrt(16)
  window(limit, 120ms);
  BOOST_TEST(limit.limit() > grown);
  // Latency triples: the service queues; the limit backs off by a tenth per window.
  auto before = limit.limit();
  window(limit, 300ms);
  BOOST_TEST(limit.limit() < before);
  for (int i = 0; i < 10; ++i)
    window(limit, 300ms);
  BOOST_TEST(limit.limit() <= 12);
  // A latency that lasts becomes the new normal: the baseline drifts up 2% per window.
  for (int i = 0; i < 60; ++i)
    window(limit, 300ms);
  BOOST_TEST(to_ms(limit.baseline()) == 300);
  // A throttle shrinks it too, even at baseline latency.
  concurrency_limit throttled{adaptive(20)};
  window(throttled, 100ms, true);
  BOOST_TEST(throttled.limit() == 18);
}

BOOST_AUTO_TEST_SUITE_END()
