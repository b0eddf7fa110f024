#pragma once

#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/retry/failure_policy.hpp"

namespace herd {

class json_reader;

/// One named step of a workflow: a task kind run by an agent pool (with the kind's failure
/// policy: retries, dead letters, escalation), or a pause for a person.
struct workflow_step {
  /// The step's name, unique in its workflow; with the run id it makes the step's idempotency
  /// key "<run id>/<name>".
  std::string name;
  /// The task kind it submits (selects the failure policy); unused by a human step.
  std::string kind;
  /// The agent pool that runs it. Default: "default".
  std::string pool = "default";
  /// The downstream service it calls (breakers, budgets); empty if unknown. Default: empty.
  std::string service;
  /// A failure of a critical step fails the workflow (after compensations); a non-critical
  /// step's failure is recorded and the workflow goes on. Default: true.
  bool critical = true;
  /// The step waits for a person: it raises an escalation and the workflow pauses until a
  /// resolution gives the step's result. Default: false.
  bool human = false;
  /// The task kind that undoes the step (run once, in reverse order, when a later critical
  /// step fails for good); empty = nothing to undo. Default: empty.
  std::string compensation;
  /// True when `policy` is the step's own failure policy for its kind (see
  /// `workflow_definition::policies`). Default: false.
  bool own_policy = false;
  /// The step's own failure policy, when `own_policy`. Default: the "default" preset.
  failure_policy policy;

  /// Reads {"name", "kind", "pool", "service", "critical", "human", "compensation",
  /// "policy": {...}}; errors name the JSON path.
  static workflow_step from_json(const json_reader& in);
};

/// Field-wise equality.
bool operator==(const workflow_step& x, const workflow_step& y);

/// JSON form (the policy only when it is the step's own).
void to_json(nlohmann::json& j, const workflow_step& x);

/// Makes `workflow_step` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, workflow_step& x) {
  return f(caf::meta::type_name("herd::workflow_step"), x.name, x.kind, x.pool, x.service,
           x.critical, x.human, x.compensation, x.own_policy, x.policy);
}

} // namespace herd
