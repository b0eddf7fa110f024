#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "herd/core/time.hpp"

namespace herd {

/// What a task does next on its fallback chain.
enum class chain_action : uint8_t {
  /// Try tier `tier` (a service or rule attempt, or the hand-off to a human).
  try_tier,
  /// Tier `tier` is unavailable (breaker open, admission full): pass it without a call; ask
  /// again for the next step.
  skip,
  /// Every remaining tier is unavailable: wait until `until`, then ask again.
  park,
  /// Stop: `end` says why; the task's failure policy decides where it goes.
  give_up,
  /// The task was served (or handed to a human); nothing more to do.
  done,
};

/// Why a chain gave up.
enum class chain_end : uint8_t {
  /// Not given up.
  none,
  /// The task's attempt budget (its policy's max_attempts) is spent.
  budget_spent,
  /// Every tier was tried or passed.
  chain_exhausted,
  /// The deadline passed, or no tier is back before it.
  deadline,
  /// A failure that neither moves the chain on nor is retried by the policy.
  not_retryable,
  /// Every remaining tier is unavailable and the chain does not park.
  unavailable,
};

/// The name of an action, e.g. "skip".
std::string to_string(chain_action x);
/// The name of an end, e.g. "budget_spent".
std::string to_string(chain_end x);

/// One decision of a `chain_planner`.
struct chain_step {
  /// What to do. Default: give_up.
  chain_action action = chain_action::give_up;
  /// The tier tried or skipped. Default: 0.
  size_t tier = 0;
  /// For try_tier: true when the previous try was on the same tier (apply the retry backoff);
  /// false when the chain just moved here (go at once). Default: false.
  bool retry = false;
  /// For park: when to ask again. Default: the epoch.
  time_point until;
  /// For give_up: why. Default: none.
  chain_end end = chain_end::none;
  /// A sentence for operators and records.
  std::string why;
};

} // namespace herd
