// A spend limit over one UTC-aligned window: resets at the boundary and after long idle, soft
// reported once per window, hard refuses until the reset.
#include <boost/test/unit_test.hpp>

#include "actors/budgets/budget_test_support.hpp"
#include "herd/budgets/budget_window.hpp"

using herd::test::limit;
using herd::test::utc;

BOOST_AUTO_TEST_SUITE(budgets_suite)

BOOST_AUTO_TEST_CASE(periods_start_at_utc_boundaries) {
  using herd::budget_period;
  auto t = utc("2026-12-01T13:45:30.250");
  BOOST_TEST(herd::period_start_ms(budget_period::minute, t) == utc("2026-12-01T13:45"));
  BOOST_TEST(herd::period_start_ms(budget_period::hour, t) == utc("2026-12-01T13:00"));
  BOOST_TEST(herd::period_start_ms(budget_period::day, t) == utc("2026-12-01"));
  BOOST_TEST(herd::period_start_ms(budget_period::day, -1) == -86'400'000); // before the epoch
  BOOST_TEST(herd::period_start_ms(budget_period::total, t) == 0);
}

BOOST_AUTO_TEST_CASE(a_day_window_resets_at_midnight_utc) {
  herd::budget_window w{limit(herd::budget_period::day, std::nullopt, 100.0)};
  w.spend(100, utc("2026-12-01T23:59:59.999"));
  BOOST_TEST(w.exhausted(utc("2026-12-01T23:59:59.999")));
  BOOST_TEST(*w.remaining(utc("2026-12-01T23:59:59.999")) == 0.0);
  BOOST_TEST(*w.resets_at(utc("2026-12-01T20:00")) == utc("2026-12-02"));
  // Not 24 hours after the spend: at the next 00:00 UTC.
  BOOST_TEST(!w.exhausted(utc("2026-12-02T00:00")));
  BOOST_TEST(*w.remaining(utc("2026-12-02T00:00")) == 100.0);
  BOOST_TEST(*w.resets_at(utc("2026-12-02T00:00")) == utc("2026-12-03"));
}

BOOST_AUTO_TEST_CASE(a_window_resets_after_a_long_idle_stretch) {
  herd::budget_window w{limit(herd::budget_period::hour, 5.0, 10.0)};
  auto first = w.spend(12, utc("2026-12-01T10:15"));
  BOOST_TEST(first.size() == 2u);
  // Nothing spent for nine days: the window reset on time, without a spend to trigger it.
  auto later = utc("2026-12-10T07:30");
  BOOST_TEST(!w.exhausted(later));
  BOOST_TEST(w.spent(later) == 0.0);
  BOOST_TEST(*w.resets_at(later) == utc("2026-12-10T08:00"));
  // And the limits are reported again in the new window.
  auto again = w.spend(6, later);
  BOOST_TEST(again.size() == 1u);
  BOOST_TEST(again.at(0).level == herd::budget_level::soft);
  BOOST_TEST(w.spent(later) == 6.0);
}

BOOST_AUTO_TEST_CASE(soft_is_reported_once_per_window) {
  herd::budget_window w{limit(herd::budget_period::minute, 1.0, std::nullopt)};
  auto t = utc("2026-12-01T12:00:05");
  BOOST_TEST(w.spend(0.6, t).empty());
  auto crossed = w.spend(0.6, t + 1000);
  BOOST_TEST_REQUIRE(crossed.size() == 1u);
  BOOST_TEST(crossed[0].level == herd::budget_level::soft);
  BOOST_TEST(crossed[0].period == herd::budget_period::minute);
  BOOST_TEST(crossed[0].limit == 1.0);
  BOOST_TEST(crossed[0].spent == 1.2, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*crossed[0].resets_at_ms == utc("2026-12-01T12:01"));
  BOOST_TEST(w.spend(5, t + 2000).empty()); // already reported in this window
  BOOST_TEST(!w.exhausted(t + 2000));       // soft never refuses
  BOOST_TEST(!w.remaining(t).has_value());  // no hard limit
  BOOST_TEST(w.spend(1.5, utc("2026-12-01T12:01:00")).size() == 1u); // the next window
}

BOOST_AUTO_TEST_CASE(hard_refuses_until_the_reset_and_is_reported_once) {
  herd::budget_window w{limit(herd::budget_period::hour, std::nullopt, 10.0)};
  auto t = utc("2026-12-01T09:20");
  BOOST_TEST(w.spend(9.5, t).empty());
  BOOST_TEST(!w.exhausted(t));
  auto crossed = w.spend(0.5, t + 1);
  BOOST_TEST_REQUIRE(crossed.size() == 1u);
  BOOST_TEST(crossed[0].level == herd::budget_level::hard);
  BOOST_TEST(w.exhausted(t + 1));
  // In-flight work still finishes and is still counted, but the limit is not reported again.
  BOOST_TEST(w.spend(3, t + 2).empty());
  BOOST_TEST(w.spent(t + 2) == 13.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*w.resets_at(t + 2) == utc("2026-12-01T10:00"));
  BOOST_TEST(w.exhausted(utc("2026-12-01T09:59:59.999")));
  BOOST_TEST(!w.exhausted(utc("2026-12-01T10:00")));
}

BOOST_AUTO_TEST_CASE(a_total_window_never_resets_and_a_clock_step_back_stays_in_the_window) {
  herd::budget_window task{limit(herd::budget_period::total, std::nullopt, 2.0)};
  task.spend(2.5, utc("2026-12-01"));
  BOOST_TEST(task.exhausted(utc("2030-01-01")));
  BOOST_TEST(!task.resets_at(utc("2030-01-01")).has_value());
  herd::budget_window day{limit(herd::budget_period::day, std::nullopt, 1.0)};
  day.spend(1, utc("2026-12-01T00:00:01"));
  BOOST_TEST(day.exhausted(utc("2026-11-30T23:59:59")));      // the wall clock stepped back
  BOOST_TEST(day.spend(-5, utc("2026-12-01T01:00")).empty()); // a negative cost counts as 0
  BOOST_TEST(day.spent(utc("2026-12-01T01:00")) == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
