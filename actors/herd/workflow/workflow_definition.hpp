#pragma once

#include <map>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/workflow/workflow_step.hpp"

namespace herd {

class json_reader;

/// A workflow: a name and its steps in order. Built in C++ or read from JSON:
///
///     herd::workflow_definition order{"order"};
///     order.step("validate", "validate", "orders");
///     order.person("approve");
///     order.step("payment", "payment", "payments").compensation = "refund";
struct workflow_definition {
  /// The workflow's name (runs name it; the catalog keys it).
  std::string name;
  /// The steps, run in this order.
  std::vector<workflow_step> steps;

  /// Appends a task step of `kind` run by `pool`; returns it for further settings.
  workflow_step& step(std::string name, std::string kind, std::string pool = "default");
  /// Appends a (critical) step that waits for a person; returns it.
  workflow_step& person(std::string name);
  /// The step named `name`, or nullptr.
  const workflow_step* find(const std::string& step) const;
  /// The position of step `name`, or -1.
  int index_of(const std::string& step) const;
  /// Throws `config_error` (paths "/name", "/steps/<i>/name", ...) if the name is empty, there
  /// are no steps, a name repeats or is empty, a task step has no kind, or a step both waits for
  /// a person and names a compensation it could never have caused.
  void validate() const;
  /// The steps' own failure policies by task kind, for `runtime_config::policies` (policies
  /// are fixed when a runtime boots).
  std::map<std::string, failure_policy> policies() const;

  /// Reads {"name", "steps": [{...}, ...]} and validates it; errors name the JSON path.
  static workflow_definition from_json(const json_reader& in);
};

/// Field-wise equality.
bool operator==(const workflow_definition& x, const workflow_definition& y);

/// JSON form: {"name", "steps": [...]}.
void to_json(nlohmann::json& j, const workflow_definition& x);

/// Makes `workflow_definition` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, workflow_definition& x) {
  return f(caf::meta::type_name("herd::workflow_definition"), x.name, x.steps);
}

} // namespace herd
