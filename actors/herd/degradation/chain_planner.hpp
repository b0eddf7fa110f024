#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "herd/core/failure.hpp"
#include "herd/core/time.hpp"
#include "herd/degradation/chain_step.hpp"
#include "herd/degradation/fallback_chain.hpp"
#include "herd/retry/failure_policy.hpp"

namespace herd {

/// Walks one task down its fallback chain. The task has ONE attempt budget, its policy's
/// `max_attempts`, across every tier: moving on never restarts the count, so the task never
/// runs more attempts in all than its policy allows. A service or rule try is an attempt; the
/// hand-off to a human tier is not, and is still made when the budget is spent.
///
/// `next()` decides from each tier's availability now: try the first tier from the current one
/// that may still be tried; skip an unavailable tier (no call) when a later one is available;
/// park until the earliest time a remaining tier may be back when none is (giving up at once
/// when that time is at or after the deadline); give up when the budget is spent, the chain is
/// exhausted, the deadline passed or a failure is final. `on_failure()` moves on after a
/// failure in the chain's `move_on` categories (a rate limit only with a wait above
/// `max_rate_limit_wait`), after any failure of a rule, or once a tier's attempts are used;
/// a failure the policy retries stays on the tier; any other failure ends the chain. No clock
/// inside: times are arguments.
class chain_planner {
public:
  /// Whether a tier can take a call now.
  struct availability {
    /// True if a call may be made now. Default: true.
    bool available = true;
    /// When an unavailable tier may be back (a breaker's next probe); the epoch = unknown
    /// (the chain's `recheck` applies). Default: the epoch.
    time_point back_at;
  };

  /// A planner for a task under `policy` (its max_attempts and retry_on) on `chain`, with
  /// `deadline` the earlier of the task's deadline and its retry deadline (the epoch = none).
  chain_planner(fallback_chain chain, const failure_policy& policy, time_point deadline = {});

  /// The next step, given each tier's availability at `now` (one entry per tier; throws
  /// `std::invalid_argument` otherwise).
  chain_step next(time_point now, const std::vector<availability>& tiers);
  /// The last try failed with `why`.
  void on_failure(const failure& why);
  /// The last try served the task.
  void on_success();
  /// Continues a walk that another planner began (the state travels with the task, not in a
  /// map): `tier_attempts[i]` attempts were made on tier i (one entry per tier; their sum
  /// counts against the budget) and the task is at tier `position`; with `awaiting`, the last
  /// try, on `position`, has no result yet (`on_failure` or `on_success` comes next). Throws
  /// `std::invalid_argument` for a wrong count of entries or a position past the chain.
  void resume(const std::vector<int32_t>& tier_attempts, size_t position, bool awaiting);

  /// Attempts made so far, on every tier.
  int32_t attempts_used() const { return attempts_used_; }
  /// Attempts made on tier `index`.
  int32_t attempts_made_on(size_t index) const { return tier_attempts_.at(index); }
  /// The label of the tier that served the task; empty until one did.
  std::string served_by() const;
  /// True if a tier other than the first served the task.
  bool degraded() const { return served_.has_value() && *served_ > 0; }
  /// The newest failure, for the record; a default failure if none.
  const failure& last_failure() const { return last_failure_; }
  /// The chain.
  const fallback_chain& chain() const { return chain_; }

private:
  bool usable(size_t index, bool budget_spent) const;
  std::string describe(size_t index) const;
  chain_step end(chain_end why, std::string sentence);

  fallback_chain chain_;
  int32_t max_attempts_;
  std::vector<failure_category> retry_on_;
  time_point deadline_;
  size_t position_ = 0;
  std::optional<size_t> tried_;
  std::optional<size_t> served_;
  std::vector<int32_t> tier_attempts_;
  int32_t attempts_used_ = 0;
  bool awaiting_result_ = false;
  bool finished_ = false;
  chain_end final_ = chain_end::none;
  std::string moved_why_;
  failure last_failure_;
};

} // namespace herd
