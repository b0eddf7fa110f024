#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/message.hpp>

namespace herd {

/// herd's error codes, carried in a `caf::error` of category "herd".
enum class errc : uint8_t {
  /// Not an error.
  none = 0,
  /// The dispatcher's intake queue is full; the task was not accepted.
  intake_full,
  /// The runtime is shutting down and accepts no new tasks.
  shutting_down,
  /// The task names a pool that does not exist.
  unknown_pool,
  /// The task is malformed (an empty id or one with control characters).
  invalid_task,
  /// A configuration value is invalid; the context names its JSON path.
  invalid_config,
  /// The task failed and will not be retried; the context carries the failure.
  task_failed,
  /// The task was handed back unfinished at shutdown.
  handed_back,
  /// A request timed out.
  timeout,
  /// The task's kind has no failure policy (and no fallback policy is configured).
  unknown_kind,
  /// An operator paused the dispatcher's intake; new tasks are refused until it resumes.
  intake_paused,
  /// A hard cost budget (the runtime's or the task's pool's) is spent; new tasks are refused
  /// until its window resets (the message gives the UTC time).
  budget_exhausted,
  /// The task journal could not commit: the task (or its acknowledgement) is not durable.
  journal_failed,
  /// The memory watchdog paused intake: the process's resident memory is above the hard limit
  /// (the message gives both); new tasks are refused until it falls below.
  memory_pressure,
  /// An agent retired itself to be replaced by a fresh one (max_tasks, max_age, resident
  /// bytes); its supervisor starts the next incarnation at once, not counted as a restart.
  recycled,
};

/// Returns the name of an error code, e.g. "intake_full".
std::string to_string(errc code);

/// How every herd component renders its errors: "<component>: <code name>", then ": " and the
/// context (a lone string as it is, anything else as CAF prints it) if there is one.
std::string render_error(const std::string& component, const std::string& code_name,
                         const caf::message& context);

/// Renders an error of category "herd" with its context, for `caf::actor_system_config`.
std::string render_errc(uint8_t code, caf::atom_value category, const caf::message& context);

} // namespace herd

CAF_ERROR_CODE_ENUM(herd::errc, "herd")
