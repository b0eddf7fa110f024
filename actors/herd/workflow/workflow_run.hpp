#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "herd/core/outcome.hpp"
#include "herd/workflow/workflow_action.hpp"
#include "herd/workflow/workflow_config.hpp"
#include "herd/workflow/workflow_definition.hpp"
#include "herd/workflow/workflow_record.hpp"

namespace herd {

/// The state machine of one workflow run, without a scheduler: the clock (wall ms) and the
/// steps' outcomes are its inputs, `next` says what to do, `record` is what to store.
///
/// Steps run in order; a completed step is never run again (its recorded result is fed to the
/// later ones in the task payload's "results"); a step left `running` by a crash runs again. A
/// step's task has id and idempotency key "<run id>/<step>", and its payload is
/// {"workflow", "run", "step", "idempotency_key", "input", "results": {step: result}}. A critical
/// step that fails for good (failed, dead-lettered, or over a cap) starts the compensations:
/// each completed step with a compensation, last first, has its compensation run once (task
/// "<run id>/<step>/compensate", payload with "compensating": true and the step's "result");
/// then the run ends failed. An escalated critical step waits for a person; a non-critical
/// step that does not complete is recorded as failed and the run goes on. The run ends exactly
/// once: `next` hands out `ended` a single time.
class workflow_run {
public:
  /// A new run `id` of `def` with `input` (JSON text), started at `now_ms`.
  static workflow_record fresh(const workflow_definition& def, const std::string& id,
                               const std::string& input, int64_t now_ms);

  /// Continues `record` (new or stored) under `def` and `limits`. Throws
  /// `std::invalid_argument` naming the step and the workflow if `record` has a step the
  /// definition no longer has, or names another workflow.
  workflow_run(workflow_definition def, workflow_record record, workflow_config limits = {});

  /// What to do next at `now_ms`; marks the step it hands out running (or waiting).
  workflow_action next(int64_t now_ms);
  /// The final outcome of step `step`'s task (from the dispatcher).
  void on_outcome(const std::string& step, const outcome& result, int64_t now_ms);
  /// The final outcome of step `step`'s compensation.
  void on_compensated(const std::string& step, const outcome& result, int64_t now_ms);
  /// A person's value (JSON text) for the waiting step `step`; false (and nothing changes) if
  /// that step is not waiting.
  bool on_person(const std::string& step, const std::string& value, int64_t now_ms);
  /// The escalation of waiting step `step` closed without a value (`why`): the run ends
  /// escalated. False if that step is not waiting.
  bool on_escalation_closed(const std::string& step, const std::string& why, int64_t now_ms);
  /// Ends the run as cancelled with `why`; false if it had ended already.
  bool cancel(const std::string& why, int64_t now_ms);

  /// The record to store.
  const workflow_record& record() const { return record_; }
  /// The definition.
  const workflow_definition& definition() const { return def_; }
  /// The step that waits for a person; empty if none.
  std::string waiting_step() const;
  /// The warnings given since the last call (a cap at `warn_ratio`), each once per run.
  std::vector<std::string> take_warnings();

private:
  task step_task(const workflow_step& step, bool compensation) const;
  void fail_run(const std::string& step, const std::string& why, int64_t now_ms);
  void end(workflow_status status, int64_t now_ms);
  void count_execution();
  bool compensating() const;

  workflow_definition def_;
  workflow_record record_;
  workflow_config limits_;
  std::vector<std::string> warnings_;
  bool end_handed_out_;
};

} // namespace herd
