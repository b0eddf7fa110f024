#pragma once

#include <cstddef>
#include <string>
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
  /// How many of `unfinished` the dead-letter queue stored (reason `handed_back`), so they
  /// survive the process; 0 without a dead-letter queue. Default: 0.
  size_t dead_lettered = 0;
  /// True if everything accepted finished within the grace period.
  bool drained = false;
  /// Actors that did not stop within the stop time and were killed (a service that ignores its
  /// exit, an agent stuck in a handler), e.g. "service llm"; empty if all stopped when asked.
  std::vector<std::string> killed;
  /// Actors still running when `shutdown` gave up on them (a handler that never returns): the
  /// runtime abandons them; a runtime with its own actor system does not wait for them when it
  /// ends. Empty if every actor stopped.
  std::vector<std::string> still_running;
};

} // namespace herd
