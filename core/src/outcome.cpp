#include "herd/core/outcome.hpp"

namespace herd {

std::string to_string(outcome_status x) {
  switch (x) {
  case outcome_status::completed:
    return "completed";
  case outcome_status::failed:
    return "failed";
  case outcome_status::dead_lettered:
    return "dead_lettered";
  case outcome_status::escalated:
    return "escalated";
  case outcome_status::handed_back:
    return "handed_back";
  }
  return "failed";
}

outcome outcome::success(const nlohmann::json& value) {
  outcome result;
  if (!value.is_null())
    result.result = value.dump();
  return result;
}

outcome outcome::success_text(std::string json_text) {
  outcome result;
  result.result = std::move(json_text);
  return result;
}

outcome outcome::fail(failure why) {
  outcome result;
  result.status = outcome_status::failed;
  result.error = std::move(why);
  return result;
}

nlohmann::json outcome::result_json() const {
  return nlohmann::json::parse(result, nullptr, false);
}

bool operator==(const outcome& x, const outcome& y) {
  return x.task_id == y.task_id && x.status == y.status && x.result == y.result &&
         x.error == y.error && x.agent == y.agent && x.attempt == y.attempt && x.limit == y.limit &&
         x.served_by == y.served_by && x.degraded == y.degraded;
}

void to_json(nlohmann::json& j, const outcome& x) {
  j = nlohmann::json{{"task_id", x.task_id},     {"status", to_string(x.status)},
                     {"agent", x.agent},         {"attempt", x.attempt},
                     {"served_by", x.served_by}, {"degraded", x.degraded}};
  if (x.ok())
    j["result"] = x.result_json();
  else
    j["error"] = x.error;
}

} // namespace herd
