#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "herd/core/task.hpp"
#include "herd/core/time.hpp"
#include "herd/retry/retry_decision.hpp"

namespace herd {

/// What a call on `retry_lanes` asks its actor to do. The actor acts on every field, then
/// calls `clear()`; the vectors keep their capacity, so acting allocates nothing per retry.
struct retry_actions {
  /// Retries to send back to the dispatcher now, in release order, attempt already counted.
  /// Default: none.
  std::vector<task> resubmit;
  /// Tasks to dead-letter or escalate, per their verdict's `action`. Default: none.
  std::vector<std::pair<task, retry_decision>> ended;
  /// The delay of a timer to arm, whose tick carries `retry_lanes::generation()`. Default: none.
  std::optional<duration> timer;
  /// A tier is back (its breaker closed): per task kind whose chain has it, the labels of the
  /// tiers after it, where queued tasks that skipped it wait; the dispatcher routes those again.
  /// Default: none.
  std::vector<std::pair<std::string, std::vector<std::string>>> reroute;

  /// Empties every field, keeping the vectors' memory.
  void clear() {
    resubmit.clear();
    ended.clear();
    timer.reset();
    reroute.clear();
  }
};

} // namespace herd
