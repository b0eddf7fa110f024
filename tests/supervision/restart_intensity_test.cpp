// Restart intensity: more than R restarts within T means give up.
#include <boost/test/unit_test.hpp>

#include "herd/supervision/restart_intensity.hpp"

BOOST_AUTO_TEST_SUITE(restart_intensity)

BOOST_AUTO_TEST_CASE(gives_up_past_the_intensity_and_forgets_old_restarts) {
  herd::restart_intensity r{2, herd::from_ms(5000)};
  auto t0 = herd::from_epoch_ms(100000);
  BOOST_TEST(r.record(t0));
  BOOST_TEST(r.record(t0 + herd::from_ms(1000)));
  BOOST_TEST(!r.record(t0 + herd::from_ms(2000)));
  // Five seconds after the first two, they no longer count.
  BOOST_TEST(r.recent(t0 + herd::from_ms(6500)) == 1u);
  BOOST_TEST(r.record(t0 + herd::from_ms(7000)));
}

BOOST_AUTO_TEST_SUITE_END()
