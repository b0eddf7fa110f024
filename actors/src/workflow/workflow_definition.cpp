#include "herd/workflow/workflow_definition.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

workflow_step& workflow_definition::step(std::string name, std::string kind, std::string pool) {
  workflow_step x;
  x.name = std::move(name);
  x.kind = std::move(kind);
  x.pool = std::move(pool);
  steps.push_back(std::move(x));
  return steps.back();
}

workflow_step& workflow_definition::person(std::string name) {
  workflow_step x;
  x.name = std::move(name);
  x.human = true;
  steps.push_back(std::move(x));
  return steps.back();
}

const workflow_step* workflow_definition::find(const std::string& step) const {
  for (auto& x : steps)
    if (x.name == step)
      return &x;
  return nullptr;
}

int workflow_definition::index_of(const std::string& step) const {
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == step)
      return static_cast<int>(i);
  return -1;
}

void workflow_definition::validate() const {
  auto fail = [](const std::string& path, const std::string& what) {
    throw config_error(path, what);
  };
  if (name.empty())
    fail("/name", "expected the workflow's name, got \"\"");
  if (steps.empty())
    fail("/steps", "expected at least one step in workflow \"" + name + "\"");
  std::set<std::string> seen;
  for (size_t i = 0; i < steps.size(); ++i) {
    auto& s = steps[i];
    auto at = "/steps/" + std::to_string(i);
    if (s.name.empty())
      fail(at + "/name", "expected a step name, got \"\"");
    if (s.name.find('/') != std::string::npos)
      fail(at + "/name", "expected a step name without \"/\", got \"" + s.name + "\"");
    if (!seen.insert(s.name).second)
      fail(at + "/name", "expected a name unique in workflow \"" + name + "\", got \"" + s.name +
                             "\" a second time");
    if (!s.human && s.kind.empty())
      fail(at + "/kind", "expected the task kind of step \"" + s.name + "\", got \"\"");
    if (s.human && !s.compensation.empty())
      fail(at + "/compensation",
           "expected no compensation on step \"" + s.name + "\", which waits for a person");
  }
}

std::map<std::string, failure_policy> workflow_definition::policies() const {
  std::map<std::string, failure_policy> result;
  for (auto& s : steps)
    if (s.own_policy)
      result[s.kind] = s.policy;
  return result;
}

workflow_definition workflow_definition::from_json(const json_reader& in) {
  in.only_keys({"name", "steps"});
  workflow_definition result;
  result.name = in.string("name", "");
  if (!in.has("steps") || !in.at("steps").value().is_array())
    in.fail("steps", "an array of steps");
  for (auto& step : in.at("steps").elements())
    result.steps.push_back(workflow_step::from_json(step));
  try {
    result.validate();
  } catch (const config_error& e) {
    throw config_error(in.path() + e.path(), e.reason());
  }
  return result;
}

bool operator==(const workflow_definition& x, const workflow_definition& y) {
  return x.name == y.name && x.steps == y.steps;
}

void to_json(nlohmann::json& j, const workflow_definition& x) {
  j = {{"name", x.name}, {"steps", x.steps}};
}

} // namespace herd
