#pragma once

#include <cstdint>
#include <string>

#include "herd/core/time.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"

namespace herd {

/// What the retry scheduler does with a failed attempt.
enum class retry_action : uint8_t {
  /// Run it again at `due`.
  retry,
  /// Store it in the dead-letter queue with `reason`.
  dead_letter,
  /// Hand it to a human with `why` as the reason.
  escalate,
};

/// The verdict of `retry_planner::decide` on one failed attempt.
struct retry_decision {
  /// Retry, dead-letter or escalate. Default: retry.
  retry_action action = retry_action::retry;
  /// For a retry: when it may run again.
  time_point due;
  /// For a retry: the wait from the failure to `due`.
  duration delay{0};
  /// For a retry: true if a server hint (retry-after) set the wait.
  bool hinted = false;
  /// For a dead letter: why. Default: exhausted.
  dead_letter_reason reason = dead_letter_reason::exhausted;
  /// For a dead letter or escalation: a sentence that explains the verdict.
  std::string why;
};

} // namespace herd
