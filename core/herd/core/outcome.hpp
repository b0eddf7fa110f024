#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/failure.hpp"
#include "herd/core/published_limit.hpp"

namespace herd {

/// How a task ended for its submitter, or how one attempt ended for the dispatcher.
enum class outcome_status : uint8_t {
  /// The task produced a result.
  completed,
  /// The attempt failed; `error` says why. As a final outcome: no retry policy took it.
  failed,
  /// The task ended in the dead-letter queue.
  dead_lettered,
  /// The task waits for a human.
  escalated,
  /// The task was handed back unfinished at shutdown.
  handed_back,
};

/// The name of a status, e.g. "dead_lettered".
std::string to_string(outcome_status x);

/// The result of a task or of one attempt.
struct outcome {
  /// The task's id.
  std::string task_id;
  /// How it ended. Default: completed.
  outcome_status status = outcome_status::completed;
  /// The result as JSON text when completed.
  std::string result = "null";
  /// Why it failed when not completed.
  failure error;
  /// The agent that produced it.
  std::string agent;
  /// The attempt that produced it.
  int32_t attempt = 0;
  /// The request limit the service published with this answer, if any (read by admission
  /// control). Default: none.
  published_limit limit;
  /// The label of the fallback tier that served the task (e.g. "haiku", "rule:triage",
  /// "human"); empty when no fallback chain was involved. Default: empty.
  std::string served_by;
  /// True when a tier other than the chain's first served the task. Default: false.
  bool degraded = false;

  /// A completed outcome with a JSON result.
  static outcome success(const nlohmann::json& value = nullptr);
  /// A completed outcome whose result is `json_text`, JSON text already (not checked again).
  static outcome success_text(std::string json_text);
  /// A failed outcome.
  static outcome fail(failure why);

  /// True when the task completed.
  bool ok() const { return status == outcome_status::completed; }
  /// The result parsed as JSON.
  nlohmann::json result_json() const;
};

/// Field-wise equality.
bool operator==(const outcome& x, const outcome& y);

/// Makes `outcome` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, outcome& x) {
  return f(caf::meta::type_name("herd::outcome"), x.task_id, x.status, x.result, x.error, x.agent,
           x.attempt, x.limit, x.served_by, x.degraded);
}

/// JSON form: {"task_id", "status", "result" | "error", "agent", "attempt", "served_by",
/// "degraded"}.
void to_json(nlohmann::json& j, const outcome& x);

} // namespace herd
