// How long a breaker stays open: growth, cap, jitter and reset.
#include <boost/test/unit_test.hpp>

#include "herd/breakers/open_duration.hpp"

using herd::from_ms;
using herd::to_ms;

BOOST_AUTO_TEST_SUITE(open_duration)

BOOST_AUTO_TEST_CASE(grows_to_the_cap_and_resets_after_a_closed_stretch) {
  herd::breaker_policy p;
  p.open_duration = from_ms(100);
  p.open_multiplier = 3.0;
  p.max_open_duration = from_ms(1000);
  p.open_jitter = 0;
  p.open_reset_after = from_ms(5000);
  herd::open_duration d{p, 1};
  auto t = herd::from_epoch_ms(0);
  BOOST_TEST(to_ms(d.next(t)) == 100);
  BOOST_TEST(to_ms(d.next(t)) == 300);
  BOOST_TEST(to_ms(d.next(t)) == 900);
  BOOST_TEST(to_ms(d.next(t)) == 1000);
  d.closed(t);
  BOOST_TEST(to_ms(d.next(t + from_ms(4999))) == 1000); // not closed long enough
  d.closed(t);
  BOOST_TEST(to_ms(d.next(t + from_ms(5000))) == 100);
  d.reset();
  BOOST_TEST(d.openings() == 0);
}

BOOST_AUTO_TEST_CASE(jitter_stays_in_bounds_and_under_the_cap) {
  herd::breaker_policy p;
  p.open_duration = from_ms(1000);
  p.open_multiplier = 1.0;
  p.max_open_duration = from_ms(1100);
  p.open_jitter = 0.5;
  herd::open_duration d{p, 3};
  auto t = herd::from_epoch_ms(0);
  int64_t low = 1000000, high = 0;
  for (int i = 0; i < 200; ++i) {
    auto ms = to_ms(d.next(t));
    low = std::min(low, ms);
    high = std::max(high, ms);
  }
  BOOST_TEST(low >= 500);
  BOOST_TEST(low < 600);
  BOOST_TEST(high == 1100); // capped
}

BOOST_AUTO_TEST_SUITE_END()
