#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/workflow/workflow_status.hpp"

namespace herd {

/// What a run recorded about one of its steps. Times are wall-clock UTC (ms since the epoch).
struct step_record {
  /// The step's name.
  std::string name;
  /// Where it stands. Default: pending.
  step_state state = step_state::pending;
  /// Attempts its task took, summed over its runs. Default: 0.
  int32_t attempts = 0;
  /// Times its task was submitted (more than once after a crash mid-step). Default: 0.
  int32_t runs = 0;
  /// Its result as JSON text once completed (a person's value for a human step).
  std::string result = "null";
  /// Why it failed (or its compensation did); empty if it did not.
  std::string error;
  /// When it last started; 0 = never.
  int64_t started_ms = 0;
  /// When it last ended; 0 = not yet.
  int64_t ended_ms = 0;
};

/// Field-wise equality.
bool operator==(const step_record& x, const step_record& y);

/// JSON form: {"name", "state", "attempts", "runs", "result" (parsed), "error", "started_ms",
/// "ended_ms"}.
void to_json(nlohmann::json& j, const step_record& x);

/// Makes `step_record` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, step_record& x) {
  return f(caf::meta::type_name("herd::step_record"), x.name, x.state, x.attempts, x.runs, x.result,
           x.error, x.started_ms, x.ended_ms);
}

} // namespace herd
