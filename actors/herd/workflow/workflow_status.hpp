#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herd {

/// Where a workflow run stands. It ends exactly once: completed, failed, escalated or cancelled.
enum class workflow_status : uint8_t {
  /// Steps are running (or compensations, after a critical step failed for good).
  running,
  /// Paused: a step waits for a person (an open escalation).
  waiting,
  /// Every step ran; non-critical failures are recorded on their steps.
  completed,
  /// A critical step failed for good (`failed_step`); compensations ran before it ended.
  failed,
  /// A step's escalation closed without a value for the workflow (timed out, resubmitted
  /// outside it): the work is with people now.
  escalated,
  /// An operator cancelled it.
  cancelled,
};

/// The status's name, e.g. "waiting".
std::string to_string(workflow_status x);
/// Parses a status name; empty if unknown.
std::optional<workflow_status> parse_workflow_status(std::string_view name);
/// True for the statuses a run ends in (completed, failed, escalated, cancelled).
bool is_terminal(workflow_status x);

/// Where one step of a run stands.
enum class step_state : uint8_t {
  /// Not started.
  pending,
  /// Its task was submitted (after a crash: it runs again).
  running,
  /// Waits for a person.
  waiting,
  /// Done; its result is stored.
  completed,
  /// Failed for good (a non-critical step's failure is only recorded).
  failed,
  /// Its compensation was submitted.
  compensating,
  /// Its compensation completed.
  compensated,
  /// Its compensation failed (recorded; the others still run).
  compensation_failed,
};

/// The state's name, e.g. "compensated".
std::string to_string(step_state x);
/// Parses a state name; empty if unknown.
std::optional<step_state> parse_step_state(std::string_view name);

} // namespace herd
