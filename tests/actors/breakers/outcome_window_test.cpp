// Count and time windows of a circuit breaker.
#include <boost/test/unit_test.hpp>

#include "herd/breakers/outcome_window.hpp"

using herd::from_ms;

BOOST_AUTO_TEST_SUITE(outcome_window)

BOOST_AUTO_TEST_CASE(count_window_keeps_the_last_n_calls) {
  herd::breaker_policy p;
  p.window_size = 4;
  herd::outcome_window w{p};
  auto t = herd::from_epoch_ms(0);
  w.record(t, true, true);
  w.record(t, true, false);
  BOOST_TEST(w.totals(t).calls == 2u);
  BOOST_TEST(w.totals(t).failure_rate() == 1.0);
  BOOST_TEST(w.totals(t).slow_rate() == 0.5);
  for (int i = 0; i < 3; ++i)
    w.record(t, false, false);
  auto sum = w.totals(t);
  BOOST_TEST(sum.calls == 4u);
  BOOST_TEST(sum.failures == 1u); // the first failure (and the slow call) fell out
  BOOST_TEST(sum.slow == 0u);
  w.clear();
  BOOST_TEST(w.totals(t).calls == 0u);
  BOOST_TEST(w.totals(t).failure_rate() == 0.0);
}

BOOST_AUTO_TEST_CASE(time_window_expires_one_bucket_at_a_time) {
  herd::breaker_policy p;
  p.window_kind = herd::breaker_window_kind::time;
  p.window_duration = from_ms(3000);
  p.window_buckets = 3;
  herd::outcome_window w{p};
  auto t = herd::from_epoch_ms(10000);
  w.record(t, true, false);                  // bucket [10 s, 11 s)
  w.record(t + from_ms(1500), false, false); // bucket [11 s, 12 s)
  w.record(t + from_ms(2999), false, true);  // bucket [12 s, 13 s)
  BOOST_TEST(w.totals(t + from_ms(2999)).calls == 3u);
  auto later = w.totals(t + from_ms(3000)); // the first bucket left
  BOOST_TEST(later.calls == 2u);
  BOOST_TEST(later.failures == 0u);
  BOOST_TEST(later.slow == 1u);
  BOOST_TEST(w.totals(t + from_ms(60000)).calls == 0u);
  w.record(t + from_ms(60000), true, false); // reuses a stale bucket
  BOOST_TEST(w.totals(t + from_ms(60000)).failures == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
