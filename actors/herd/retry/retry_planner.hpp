#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

#include "herd/core/task.hpp"
#include "herd/core/time.hpp"
#include "herd/retry/backoff.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/retry/retry_decision.hpp"

namespace herd {

/// Decides what happens to a failed attempt under its kind's `failure_policy`: retry (and
/// when), dead-letter or escalate. A server hint (retry-after, a breaker's time until probe)
/// is a lower bound on the wait, capped by the policy's `max_retry_after`; tasks told the same
/// instant are spread uniformly over [hint, hint + window] with
/// window = max(spread_window, spread_ratio * hint), so they do not come back together.
/// The call guard's categories are never retried, whatever the policy's `retry_on`:
/// `loop_detected` and `step_limit` are always escalated, `budget_exhausted` takes the policy's
/// `on_non_retryable` (both with reason `non_retryable`).
class retry_planner {
public:
  /// The planner's tunables.
  struct settings {
    /// The smallest window over which hinted returns are spread. Default: 1 s.
    duration spread_window = from_ms(1000);
    /// The window as a share of the hint, when that is larger. Default: 0.25.
    double spread_ratio = 0.25;
  };

  /// A planner with `config` whose jitter is seeded with `seed`; `backoff_memory` bounds the
  /// tasks whose decorrelated sleep is remembered.
  retry_planner(settings config, uint64_t seed, size_t backoff_memory = 100000);

  /// The verdict on `t`, whose newest history entry is the failure of attempt `t.attempt`.
  retry_decision decide(const failure_policy& policy, const task& t, time_point now);
  /// True if a retry of `t` at `at` would pass its retry deadline or the task's own deadline.
  bool expired(const failure_policy& policy, const task& t, time_point at) const;
  /// "attempt N failed: <the newest failure>", for verdicts and logs.
  static std::string describe(const task& t);
  /// Forgets what is remembered about a task that ended.
  void forget(const std::string& task_id) { backoff_.forget(task_id); }
  /// The backoff calculator.
  const backoff& delays() const { return backoff_; }

private:
  settings config_;
  backoff backoff_;
  std::mt19937_64 rng_;
};

} // namespace herd
