#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/workflow/step_record.hpp"
#include "herd/workflow/workflow_status.hpp"

namespace herd {

/// One run of a workflow as stored: its input, status and every step's record. Times are
/// wall-clock UTC (ms since the epoch).
struct workflow_record {
  /// The run id (stable: starting it again returns this run).
  std::string id;
  /// The workflow's name.
  std::string workflow;
  /// The input as JSON text. Default: "null".
  std::string input = "null";
  /// Where it stands. Default: running.
  workflow_status status = workflow_status::running;
  /// The critical step that failed for good; empty if none.
  std::string failed_step;
  /// Why it failed, was escalated or cancelled; empty otherwise.
  std::string error;
  /// When it started.
  int64_t created_ms = 0;
  /// When it last changed.
  int64_t updated_ms = 0;
  /// When it ended; 0 = not yet.
  int64_t ended_ms = 0;
  /// Step executions so far (task submissions, escalations, compensations): counted against
  /// `workflow_config::max_steps`.
  int32_t executions = 0;
  /// Bytes stored for it (input and results): counted against `workflow_config::max_bytes`.
  int64_t stored_bytes = 0;
  /// True once the warning about the step cap was given.
  bool warned_steps = false;
  /// True once the warning about the byte cap was given.
  bool warned_bytes = false;
  /// The steps' records, in the definition's order.
  std::vector<step_record> steps;

  /// The record of step `name`, or nullptr.
  step_record* step(const std::string& name);
  /// The record of step `name`, or nullptr.
  const step_record* step(const std::string& name) const;
};

/// Field-wise equality.
bool operator==(const workflow_record& x, const workflow_record& y);

/// JSON form with every field; "input" and each step's "result" are embedded as JSON.
void to_json(nlohmann::json& j, const workflow_record& x);

/// Makes `workflow_record` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, workflow_record& x) {
  return f(caf::meta::type_name("herd::workflow_record"), x.id, x.workflow, x.input, x.status,
           x.failed_step, x.error, x.created_ms, x.updated_ms, x.ended_ms, x.executions,
           x.stored_bytes, x.warned_steps, x.warned_bytes, x.steps);
}

} // namespace herd
