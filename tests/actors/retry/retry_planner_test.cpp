// The verdict on a failed attempt: the presets, attempt limits, deadlines and server hints.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "herd/retry/retry_planner.hpp"

namespace {

herd::time_point at(int64_t ms) {
  return herd::from_epoch_ms(ms);
}

/// A task of `kind` whose attempt `attempt` just failed with `why` at t = 10 s.
herd::task failed(const std::string& kind, int32_t attempt, herd::failure why,
                  const std::string& id = "t1") {
  auto t = herd::task::make(id, kind);
  t.created = at(0);
  t.attempt = attempt;
  for (int32_t n = 1; n <= attempt; ++n)
    t.history.push_back(herd::attempt_record{n, at(10'000), "agent-1", why});
  return t;
}

herd::retry_planner planner() {
  return herd::retry_planner{herd::retry_planner::settings{}, 42};
}

herd::failure transient() {
  return herd::failure::transient("connection reset").from("llm", 503);
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry_planner)

BOOST_AUTO_TEST_CASE(read_only_retries_generously) {
  auto p = planner();
  auto policy = herd::failure_policy::preset("read_only");
  for (int32_t attempt = 1; attempt < 10; ++attempt) {
    auto d = p.decide(policy, failed("read_only", attempt, transient()), at(10'000));
    BOOST_TEST_REQUIRE((d.action == herd::retry_action::retry));
    BOOST_TEST((d.delay <= herd::backoff::expo(policy.backoff, attempt)));
    BOOST_TEST((d.due == at(10'000) + d.delay));
  }
  auto last = p.decide(policy, failed("read_only", 10, transient()), at(10'000));
  BOOST_TEST((last.action == herd::retry_action::dead_letter));
  BOOST_TEST((last.reason == herd::dead_letter_reason::exhausted));
}

BOOST_AUTO_TEST_CASE(notification_retries_a_few_times_then_dead_letters) {
  auto p = planner();
  auto policy = herd::failure_policy::preset("notification");
  auto first = p.decide(policy, failed("notification", 1, transient()), at(10'000));
  BOOST_TEST((first.action == herd::retry_action::retry));
  BOOST_TEST(herd::to_ms(first.delay) == 2000); // exponential: 1 s * 2^1
  BOOST_TEST(
      herd::to_ms(p.decide(policy, failed("notification", 2, transient()), at(10'000)).delay) ==
      4000);
  auto third = p.decide(policy, failed("notification", 3, transient()), at(10'000));
  BOOST_TEST((third.action == herd::retry_action::dead_letter));
  BOOST_TEST((third.reason == herd::dead_letter_reason::exhausted));
  BOOST_TEST(third.why.find("max_attempts 3") != std::string::npos);
  auto wrong =
      p.decide(policy, failed("notification", 1, herd::failure::permanent("400")), at(10'000));
  BOOST_TEST((wrong.action == herd::retry_action::dead_letter));
  BOOST_TEST((wrong.reason == herd::dead_letter_reason::non_retryable));
}

BOOST_AUTO_TEST_CASE(mutation_retries_only_with_an_idempotency_key) {
  auto p = planner();
  auto policy = herd::failure_policy::preset("mutation");
  auto t = failed("mutation", 1, transient());
  auto without = p.decide(policy, t, at(10'000));
  BOOST_TEST((without.action == herd::retry_action::escalate));
  BOOST_TEST(without.why.find("idempotency key") != std::string::npos);
  t.idempotency_key = "order-17";
  BOOST_TEST((p.decide(policy, t, at(10'000)).action == herd::retry_action::retry));
}

BOOST_AUTO_TEST_CASE(payment_escalates_at_once) {
  auto p = planner();
  auto policy = herd::failure_policy::preset("payment");
  for (auto why : {transient(), herd::failure::timeout("slow"), herd::failure::permanent("no")}) {
    auto t = failed("payment", 1, why);
    t.idempotency_key = "pay-1";
    BOOST_TEST((p.decide(policy, t, at(10'000)).action == herd::retry_action::escalate));
  }
}

BOOST_AUTO_TEST_CASE(unknown_failures_go_to_a_human_by_default) {
  auto p = planner();
  herd::failure_policy policy;
  auto d = p.decide(policy, failed("x", 1, herd::failure::unknown("boom")), at(10'000));
  BOOST_TEST((d.action == herd::retry_action::escalate));
  policy.escalate_unknown = false;
  d = p.decide(policy, failed("x", 1, herd::failure::unknown("boom")), at(10'000));
  BOOST_TEST((d.action == herd::retry_action::dead_letter));
  BOOST_TEST((d.reason == herd::dead_letter_reason::non_retryable));
}

BOOST_AUTO_TEST_CASE(the_retry_deadline_and_the_task_deadline_hold) {
  auto p = planner();
  herd::failure_policy policy;
  policy.backoff = {herd::backoff_kind::fixed, herd::from_ms(5000), 1.0, herd::from_ms(5000)};
  policy.retry_deadline = herd::from_ms(12'000); // created at 0, failed at 10 s, retry at 15 s
  auto d = p.decide(policy, failed("x", 1, transient()), at(10'000));
  BOOST_TEST((d.action == herd::retry_action::dead_letter));
  BOOST_TEST((d.reason == herd::dead_letter_reason::exhausted));
  policy.retry_deadline = herd::from_ms(15'000);
  BOOST_TEST((p.decide(policy, failed("x", 1, transient()), at(10'000)).action ==
              herd::retry_action::retry));
  auto t = failed("x", 1, transient());
  t.deadline = at(14'000);
  BOOST_TEST((p.decide(policy, t, at(10'000)).action == herd::retry_action::dead_letter));
}

BOOST_AUTO_TEST_CASE(retry_after_is_a_lower_bound_capped_by_policy) {
  auto p = planner();
  herd::failure_policy policy; // full jitter, 100 ms base; max_retry_after 60 s
  auto limited = herd::failure::rate_limited("429", herd::from_ms(5000)).from("llm", 429);
  auto d = p.decide(policy, failed("x", 1, limited), at(10'000));
  BOOST_TEST((d.action == herd::retry_action::retry));
  BOOST_TEST(d.hinted);
  BOOST_TEST(herd::to_ms(d.delay) >= 5000);
  BOOST_TEST(herd::to_ms(d.delay) <= 5000 + 1250); // window = max(1 s, 0.25 * 5 s)
  auto huge = herd::failure::rate_limited("429", herd::from_ms(600'000));
  d = p.decide(policy, failed("x", 1, huge), at(10'000));
  BOOST_TEST(herd::to_ms(d.delay) >= 60'000);
  BOOST_TEST(herd::to_ms(d.delay) <= 60'000 + 15'000);
  // A breaker's time until probe counts the same way.
  auto open = herd::failure::make(herd::failure_category::circuit_open, "open");
  open.retry_after = herd::from_ms(3000);
  BOOST_TEST(herd::to_ms(p.decide(policy, failed("x", 1, open), at(10'000)).delay) >= 3000);
}

BOOST_AUTO_TEST_CASE(returns_told_the_same_instant_are_spread_over_the_window) {
  auto p = planner();
  herd::failure_policy policy;
  auto limited = herd::failure::rate_limited("429", herd::from_ms(4000)).from("llm", 429);
  std::vector<int64_t> due;
  for (int i = 0; i < 400; ++i)
    due.push_back(herd::to_epoch_ms(
        p.decide(policy, failed("x", 1, limited, "t" + std::to_string(i)), at(10'000)).due));
  std::sort(due.begin(), due.end());
  BOOST_TEST(due.front() >= 14'000);
  BOOST_TEST(due.back() <= 15'000);
  BOOST_TEST(due.back() - due.front() >= 900);
  std::map<int64_t, int> per_100ms;
  for (auto t : due)
    ++per_100ms[t / 100];
  for (auto& [bucket, count] : per_100ms)
    BOOST_TEST_REQUIRE(count <= 80); // about 40 per bucket; never all at once
}

BOOST_AUTO_TEST_CASE(loops_and_step_limits_are_escalated_even_when_retry_on_lists_them) {
  // read_only dead-letters what it does not retry, yet a loop always goes to a person.
  auto p = planner();
  auto policy = herd::failure_policy::preset("read_only");
  policy.retry_on.push_back(herd::failure_category::loop_detected);
  policy.retry_on.push_back(herd::failure_category::step_limit);
  for (auto category :
       {herd::failure_category::loop_detected, herd::failure_category::step_limit}) {
    auto why = herd::failure::make(category, "the same call was asked for 5 times").from("llm");
    auto d = p.decide(policy, failed("read_only", 1, why), at(10'000));
    BOOST_TEST((d.action == herd::retry_action::escalate));
    BOOST_TEST((d.reason == herd::dead_letter_reason::non_retryable));
    BOOST_TEST(d.why.find(herd::to_string(category)) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_spent_budget_is_never_retried_and_follows_on_non_retryable) {
  auto p = planner();
  auto why = herd::failure::make(herd::failure_category::budget_exhausted, "spent").from("llm");
  auto policy = herd::failure_policy::preset("read_only");
  policy.retry_on.push_back(herd::failure_category::budget_exhausted);
  auto dead = p.decide(policy, failed("read_only", 1, why), at(10'000));
  BOOST_TEST((dead.action == herd::retry_action::dead_letter));
  BOOST_TEST((dead.reason == herd::dead_letter_reason::non_retryable));
  policy.on_non_retryable = herd::terminal_action::escalate;
  auto escalated = p.decide(policy, failed("read_only", 1, why), at(10'000));
  BOOST_TEST((escalated.action == herd::retry_action::escalate));
}

BOOST_AUTO_TEST_SUITE_END()
