// Several windows for one subject: admission until the last exhausted window resets, and what
// a charge reached.
#include <boost/test/unit_test.hpp>

#include "actors/budgets/budget_test_support.hpp"
#include "herd/budgets/cost_budget.hpp"

using herd::test::limit;
using herd::test::utc;

BOOST_AUTO_TEST_SUITE(budgets_suite)

BOOST_AUTO_TEST_CASE(no_limits_admit_everything) {
  herd::cost_budget b{std::vector<herd::budget_limit>{}};
  BOOST_TEST(b.charge(1e6, utc("2026-12-01")).empty());
  BOOST_TEST(b.admit(utc("2026-12-01")).admitted);
}

BOOST_AUTO_TEST_CASE(a_charge_reports_each_window_it_crosses) {
  using herd::budget_level;
  using herd::budget_period;
  herd::cost_budget b{
      {limit(budget_period::day, 50.0, 100.0), limit(budget_period::minute, 1.0, 2.0)}};
  auto t = utc("2026-12-01T08:00:10");
  auto first = b.charge(1.5, t);
  BOOST_TEST_REQUIRE(first.crossings.size() == 1u);
  BOOST_TEST(first.reached_soft());
  BOOST_TEST(!first.reached_hard());
  BOOST_TEST(first.crossings[0].period == budget_period::minute);
  auto second = b.charge(49, t + 1000);
  // Soft before hard, shortest window first.
  BOOST_TEST_REQUIRE(second.crossings.size() == 2u);
  BOOST_TEST(second.crossings[0].level == budget_level::soft);
  BOOST_TEST(second.crossings[0].period == budget_period::day);
  BOOST_TEST(second.crossings[1].level == budget_level::hard);
  BOOST_TEST(second.crossings[1].period == budget_period::minute);
  BOOST_TEST(*second.crossings[1].resets_at_ms == utc("2026-12-01T08:01"));
  BOOST_TEST(second.reached_hard());
}

BOOST_AUTO_TEST_CASE(hard_refuses_with_why_and_until_the_window_reset) {
  herd::cost_budget b{{limit(herd::budget_period::day, std::nullopt, 100.0)}};
  auto t = utc("2026-12-01T15:00");
  b.charge(100.2, t);
  auto refused = b.admit(t + 1);
  BOOST_TEST(!refused.admitted);
  BOOST_TEST(refused.period == herd::budget_period::day);
  BOOST_TEST(*refused.until_ms == utc("2026-12-02"));
  BOOST_TEST(refused.why == "the per-day hard budget of 100.00 USD is spent (100.20 USD); "
                            "resets at 2026-12-02T00:00:00.000Z");
  BOOST_TEST(!b.admit(utc("2026-12-01T23:59:59.999")).admitted);
  auto next_day = b.admit(utc("2026-12-02"));
  BOOST_TEST(next_day.admitted);
  BOOST_TEST(next_day.why.empty());
}

BOOST_AUTO_TEST_CASE(several_exhausted_windows_refuse_until_the_last_reset) {
  using herd::budget_period;
  herd::cost_budget b{{limit(budget_period::minute, std::nullopt, 1.0),
                       limit(budget_period::hour, std::nullopt, 1.5),
                       limit(budget_period::day, std::nullopt, 100.0)}};
  auto t = utc("2026-12-01T10:30:20");
  b.charge(1.0, t);
  auto minute_only = b.admit(t);
  BOOST_TEST(!minute_only.admitted);
  BOOST_TEST(minute_only.period == budget_period::minute);
  BOOST_TEST(*minute_only.until_ms == utc("2026-12-01T10:31"));
  BOOST_TEST(b.admit(utc("2026-12-01T10:31")).admitted);
  b.charge(1.0, utc("2026-12-01T10:31:05"));
  // Both the minute and the hour are spent: the minute's reset would not help.
  auto both = b.admit(utc("2026-12-01T10:31:06"));
  BOOST_TEST(!both.admitted);
  BOOST_TEST(both.period == budget_period::hour);
  BOOST_TEST(*both.until_ms == utc("2026-12-01T11:00"));
  BOOST_TEST(!b.admit(utc("2026-12-01T10:45")).admitted); // the minute reset, the hour did not
  BOOST_TEST(b.admit(utc("2026-12-01T11:00")).admitted);
}

BOOST_AUTO_TEST_CASE(a_spent_task_budget_never_admits_again) {
  herd::budget_limit task;
  task.period = herd::budget_period::total;
  task.hard = 2.0;
  herd::cost_budget b{{task}};
  BOOST_TEST(b.charge(2.0, utc("2026-12-01")).reached_hard());
  auto refused = b.admit(utc("2027-01-01"));
  BOOST_TEST(!refused.admitted);
  BOOST_TEST(!refused.until_ms.has_value());
  BOOST_TEST(refused.why == "the total hard budget of 2.00 USD is spent (2.00 USD); never resets");
}

BOOST_AUTO_TEST_SUITE_END()
