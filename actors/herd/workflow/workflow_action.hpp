#pragma once

#include <string>

#include "herd/core/task.hpp"

namespace herd {

/// What a `workflow_run` asks its driver to do next.
struct workflow_action {
  /// The kinds of action.
  enum class type {
    /// Nothing: the run is waiting for an outcome already asked for, or has ended.
    none,
    /// Submit `work` (step `step`) to the dispatcher and report its outcome.
    run_step,
    /// Raise `work` (step `step`) in the escalation queue with `reason`; the run waits.
    escalate,
    /// Submit `work`, the compensation of step `step`, and report its outcome.
    compensate,
    /// The run waits for a person (step `step`).
    wait,
    /// The run has just ended (`workflow_record::status`); given once.
    ended,
  };

  /// What to do. Default: none.
  type what = type::none;
  /// The step concerned; empty for none and ended.
  std::string step;
  /// The task to submit or escalate.
  task work;
  /// Why a person is asked (escalate).
  std::string reason;
};

} // namespace herd
