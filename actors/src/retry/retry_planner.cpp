#include "herd/retry/retry_planner.hpp"

#include <algorithm>

namespace herd {

namespace {

retry_decision stop(terminal_action action, dead_letter_reason reason, std::string why) {
  retry_decision result;
  result.action =
      action == terminal_action::escalate ? retry_action::escalate : retry_action::dead_letter;
  result.reason = reason;
  result.why = std::move(why);
  return result;
}

} // namespace

retry_planner::retry_planner(settings config, uint64_t seed, size_t backoff_memory)
    : config_(config), backoff_(seed, backoff_memory), rng_(seed ^ 0x9e3779b97f4a7c15ULL) {}

std::string retry_planner::describe(const task& t) {
  return "attempt " + std::to_string(t.attempt) + " failed: " + to_string(t.last_failure());
}

bool retry_planner::expired(const failure_policy& policy, const task& t, time_point at) const {
  if (policy.retry_deadline.count() > 0 && at > t.created + policy.retry_deadline)
    return true;
  return t.has_deadline() && at > t.deadline;
}

retry_decision retry_planner::decide(const failure_policy& policy, const task& t, time_point now) {
  const auto& why = t.last_failure();
  auto attempt = [&t] { return describe(t); };
  // The guard's verdicts (issue #15) are never retried, whatever `retry_on` says: a retry would
  // repeat the loop or spend more. A loop or a runaway task needs a person; a spent budget
  // follows the policy.
  if (why.category == failure_category::loop_detected ||
      why.category == failure_category::step_limit)
    return stop(terminal_action::escalate, dead_letter_reason::non_retryable,
                to_string(why.category) + " needs a human to look at the repeated request; " +
                    attempt());
  if (why.category == failure_category::budget_exhausted)
    return stop(policy.on_non_retryable, dead_letter_reason::non_retryable,
                "budget_exhausted failures are never retried; " + attempt());
  if (policy.require_idempotency_key && t.idempotency_key.empty())
    return stop(policy.on_non_retryable, dead_letter_reason::non_retryable,
                "not retried without an idempotency key; " + attempt());
  if (!policy.retries(why.category)) {
    if (why.category == failure_category::unknown && policy.escalate_unknown)
      return stop(terminal_action::escalate, dead_letter_reason::non_retryable,
                  "unclassified failure needs a human; " + attempt());
    return stop(policy.on_non_retryable, dead_letter_reason::non_retryable,
                to_string(why.category) + " failures are not retried; " + attempt());
  }
  if (t.attempt >= policy.max_attempts)
    return stop(policy.on_exhausted, dead_letter_reason::exhausted,
                "out of attempts (max_attempts " + std::to_string(policy.max_attempts) + "); " +
                    attempt());
  retry_decision result;
  result.delay = backoff_.next(policy.backoff, t.id, t.attempt);
  auto hint = std::min(why.retry_after, policy.max_retry_after);
  if (hint.count() > 0 && hint >= result.delay) {
    auto ratio =
        static_cast<duration::rep>(config_.spread_ratio * static_cast<double>(hint.count()));
    auto window = std::max(config_.spread_window.count(), ratio);
    std::uniform_int_distribution<duration::rep> spread{0, window};
    result.delay = hint + duration{spread(rng_)};
    result.hinted = true;
  }
  result.due = now + result.delay;
  if (expired(policy, t, result.due))
    return stop(policy.on_exhausted, dead_letter_reason::exhausted,
                "a retry in " + std::to_string(to_ms(result.delay)) +
                    " ms would pass the task's deadline; " + attempt());
  return result;
}

} // namespace herd
