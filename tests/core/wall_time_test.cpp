// Wall-clock UTC times: ISO-8601 in and out, ages with range checks, and a task's times moving
// between the actor clock and the wall clock.
#include "herd/core/wall_time.hpp"

#include <boost/test/unit_test.hpp>

#include "herd/core/task.hpp"

using namespace herd;

BOOST_AUTO_TEST_SUITE(wall_time)

BOOST_AUTO_TEST_CASE(iso_utc_round_trips) {
  BOOST_TEST(format_utc(2000000000000) == "2033-05-18T03:33:20.000Z");
  BOOST_TEST(format_utc(1) == "1970-01-01T00:00:00.001Z");
  BOOST_TEST(format_utc(0) == "-");
  BOOST_TEST(format_utc(951782400000) == "2000-02-29T00:00:00.000Z");
  BOOST_TEST(*parse_utc("2033-05-18T03:33:20.000Z") == 2000000000000);
  BOOST_TEST(*parse_utc("2033-05-18T03:33:20Z") == 2000000000000);
  BOOST_TEST(*parse_utc("2033-05-18T03:33") == 2000000000000 - 20000);
  BOOST_TEST(*parse_utc("2000-02-29") == 951782400000);
  for (auto bad : {"", "2033", "2033-13-01", "2033-02-30", "1900-01-01", "2033-05-18T25:00",
                   "2033-05-18T03:33:20+02:00", "yesterday"})
    BOOST_TEST(!parse_utc(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(ages_are_range_checked) {
  BOOST_TEST(*parse_age_ms("500ms") == 500);
  BOOST_TEST(*parse_age_ms("45s") == 45000);
  BOOST_TEST(*parse_age_ms("30m") == 1800000);
  BOOST_TEST(*parse_age_ms("7d") == 604800000);
  BOOST_TEST(*parse_age_ms("30000d") == 30000LL * 86400000);
  for (auto bad : {"", "d", "-5d", "7", "7w", "1.5h", "99999d", "9223372036854775807ms"})
    BOOST_TEST(!parse_age_ms(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(a_task_moves_between_clocks_and_unset_times_stay_unset) {
  auto t = task::make("t", "read_only");
  t.created = from_epoch_ms(5000);
  t.history.push_back({1, from_epoch_ms(6000), "a", failure::transient("x")});
  auto offset = wall_offset(from_epoch_ms(7000), 1700000000000);
  t.shift_times(offset);
  BOOST_TEST(to_epoch_ms(t.created) == 1700000000000 - 2000);
  BOOST_TEST(to_epoch_ms(t.history[0].time) == 1700000000000 - 1000);
  BOOST_TEST(!t.has_deadline());
  t.shift_times(-offset);
  BOOST_TEST(to_epoch_ms(t.created) == 5000);
}

BOOST_AUTO_TEST_SUITE_END()
