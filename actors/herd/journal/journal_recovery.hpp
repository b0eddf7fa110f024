#pragma once

#include <vector>

#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"

namespace herd {

/// What a task journal holds for a dispatcher that starts on it.
struct journal_recovery {
  /// Every accepted task that has not reached a terminal state, in the order they were accepted,
  /// each with its failed attempts in `history` and `attempt` the next one. Times are wall-clock
  /// (UTC since the Unix epoch). Default: none.
  std::vector<task> unfinished;
  /// The newest completed tasks' outcomes (idempotency: a duplicate submit answers them), oldest
  /// first. Default: none.
  std::vector<outcome> completed;
};

} // namespace herd
