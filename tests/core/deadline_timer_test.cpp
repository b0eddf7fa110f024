// The one-timer-per-actor rule: a later deadline keeps the armed timer, an earlier one replaces
// it, and only the latest timer's generation fires.
#include "herd/core/deadline_timer.hpp"

#include <boost/test/unit_test.hpp>

using namespace herd;

BOOST_AUTO_TEST_SUITE(deadline_timer_suite)

BOOST_AUTO_TEST_CASE(only_the_earliest_deadline_arms_and_only_its_timer_fires) {
  deadline_timer timer;
  time_point t0{};
  auto first = timer.arm(t0 + from_ms(100));
  BOOST_REQUIRE(first);
  BOOST_TEST(!timer.arm(t0 + from_ms(200))); // the armed timer comes first
  auto second = timer.arm(t0 + from_ms(50)); // earlier: the first one becomes obsolete
  BOOST_REQUIRE(second);
  BOOST_TEST((timer.due() == t0 + from_ms(50)));
  BOOST_TEST(!timer.fired(*first));
  BOOST_TEST(timer.fired(*second));
  BOOST_TEST((timer.due() == time_point::max()));
  BOOST_TEST(timer.arm(t0 + from_ms(200)).has_value()); // nothing armed: any deadline arms
}

BOOST_AUTO_TEST_SUITE_END()
