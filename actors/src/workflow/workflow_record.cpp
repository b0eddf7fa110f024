#include "herd/workflow/workflow_record.hpp"

#include <nlohmann/json.hpp>

namespace herd {

step_record* workflow_record::step(const std::string& name) {
  for (auto& x : steps)
    if (x.name == name)
      return &x;
  return nullptr;
}

const step_record* workflow_record::step(const std::string& name) const {
  return const_cast<workflow_record*>(this)->step(name);
}

bool operator==(const workflow_record& x, const workflow_record& y) {
  return x.id == y.id && x.workflow == y.workflow && x.input == y.input && x.status == y.status &&
         x.failed_step == y.failed_step && x.error == y.error && x.created_ms == y.created_ms &&
         x.updated_ms == y.updated_ms && x.ended_ms == y.ended_ms && x.executions == y.executions &&
         x.stored_bytes == y.stored_bytes && x.warned_steps == y.warned_steps &&
         x.warned_bytes == y.warned_bytes && x.steps == y.steps;
}

void to_json(nlohmann::json& j, const workflow_record& x) {
  auto input = nlohmann::json::parse(x.input, nullptr, false);
  j = {{"id", x.id},
       {"workflow", x.workflow},
       {"input", input.is_discarded() ? nlohmann::json(x.input) : input},
       {"status", to_string(x.status)},
       {"failed_step", x.failed_step},
       {"error", x.error},
       {"created_ms", x.created_ms},
       {"updated_ms", x.updated_ms},
       {"ended_ms", x.ended_ms},
       {"executions", x.executions},
       {"stored_bytes", x.stored_bytes},
       {"steps", x.steps}};
}

} // namespace herd
