#include "herd/dead_letters/escalation.hpp"
#include "herd/core/enum_name.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(escalation_status x) {
  switch (x) {
  case escalation_status::open:
    return "open";
  case escalation_status::resolved:
    return "resolved";
  case escalation_status::resubmitted:
    return "resubmitted";
  case escalation_status::timed_out:
    return "timed_out";
  case escalation_status::resubmitting:
    return "resubmitting";
  }
  return "open";
}

std::optional<escalation_status> parse_escalation_status(std::string_view name) {
  return parse_enum_name<escalation_status>(
      name, {escalation_status::open, escalation_status::resolved, escalation_status::resubmitted,
             escalation_status::timed_out, escalation_status::resubmitting});
}

bool operator==(const escalation& x, const escalation& y) {
  return x.work == y.work && x.reason == y.reason && x.status == y.status && x.note == y.note &&
         x.escalated_ms == y.escalated_ms && x.updated_ms == y.updated_ms;
}

void to_json(nlohmann::json& j, const escalation& x) {
  j = nlohmann::json{{"task", x.work},
                     {"reason", x.reason},
                     {"status", to_string(x.status)},
                     {"note", x.note},
                     {"escalated_ms", x.escalated_ms},
                     {"updated_ms", x.updated_ms}};
}

void from_json(const nlohmann::json& j, escalation& x) {
  json_reader in{j};
  in.only_keys({"task", "reason", "status", "note", "escalated_ms", "updated_ms"});
  if (!in.has("task"))
    in.fail("task", "the escalated task");
  from_json(j.at("task"), x.work);
  x.reason = in.string("reason", "");
  x.status = *parse_escalation_status(in.choice(
      "status", "open", {"open", "resolved", "resubmitted", "timed_out", "resubmitting"}));
  x.note = in.string("note", "");
  x.escalated_ms = in.integer("escalated_ms", 0);
  x.updated_ms = in.integer("updated_ms", 0);
}

} // namespace herd
