#pragma once

#include <vector>

#include "herd/core/task.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"

namespace herd {

/// What `runtime::shutdown` leaves behind.
struct shutdown_report {
  /// The dispatcher's accounting at the end.
  dispatcher_stats stats;
  /// Tasks that were accepted but not finished within the grace period, handed back to the
  /// caller (their submitters received a `handed_back` outcome).
  std::vector<task> unfinished;
  /// True if everything accepted finished within the grace period.
  bool drained = false;
};

} // namespace herd
