#include "herd/workflow/step_record.hpp"

#include <nlohmann/json.hpp>

namespace herd {

bool operator==(const step_record& x, const step_record& y) {
  return x.name == y.name && x.state == y.state && x.attempts == y.attempts && x.runs == y.runs &&
         x.result == y.result && x.error == y.error && x.started_ms == y.started_ms &&
         x.ended_ms == y.ended_ms;
}

void to_json(nlohmann::json& j, const step_record& x) {
  auto result = nlohmann::json::parse(x.result, nullptr, false);
  j = {{"name", x.name},
       {"state", to_string(x.state)},
       {"attempts", x.attempts},
       {"runs", x.runs},
       {"result", result.is_discarded() ? nlohmann::json(x.result) : result},
       {"error", x.error},
       {"started_ms", x.started_ms},
       {"ended_ms", x.ended_ms}};
}

} // namespace herd
