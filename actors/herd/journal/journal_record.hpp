#pragma once

#include <cstdint>
#include <string>

#include "herd/core/attempt_record.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// One change to the task journal, as the dispatcher appends it: a task accepted, one of its
/// attempts failed, or it reached a terminal state. Times are on the actor clock; `wall_offset`
/// carries them to the wall clock (UTC) the journal stores.
struct journal_record {
  /// What happened.
  enum class type : uint8_t {
    /// `work` was accepted: stored once, whole.
    accepted,
    /// An attempt of task `task_id` failed: `attempt` is appended to its history.
    attempt_failed,
    /// Task `result.task_id` reached the terminal state `result.status` (handed_back tasks are
    /// not settled: they stay unfinished and are re-entered at the next start).
    settled,
  };

  /// What happened. Default: accepted.
  type what = type::accepted;
  /// The accepted task (only for `accepted`).
  task work;
  /// The task of a failed attempt (only for `attempt_failed`).
  std::string task_id;
  /// The failed attempt (only for `attempt_failed`).
  attempt_record attempt;
  /// The terminal outcome (only for `settled`).
  outcome result;
  /// What to add to an actor-clock time to get the wall-clock time. Default: 0.
  duration wall_offset{0};
  /// The wall-clock time of the change, ms since the Unix epoch (UTC). Default: 0.
  int64_t at_ms = 0;

  /// A record of `t` accepted at `at_ms`.
  static journal_record accepted_task(task t, duration offset, int64_t at_ms);
  /// A record of the failed attempt `a` of task `id`.
  static journal_record failed_attempt(std::string id, attempt_record a, duration offset,
                                       int64_t at_ms);
  /// A record of the terminal `result`.
  static journal_record settled_task(outcome result, int64_t at_ms);
};

} // namespace herd
