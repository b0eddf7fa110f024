#include "herd/dead_letters/dead_letter.hpp"
#include "herd/core/enum_name.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

constexpr dead_letter_status all_statuses[] = {
    dead_letter_status::pending, dead_letter_status::replaying, dead_letter_status::replayed,
    dead_letter_status::resolved, dead_letter_status::poison};

} // namespace

std::string to_string(dead_letter_status x) {
  switch (x) {
  case dead_letter_status::pending:
    return "pending";
  case dead_letter_status::replaying:
    return "replaying";
  case dead_letter_status::replayed:
    return "replayed";
  case dead_letter_status::resolved:
    return "resolved";
  case dead_letter_status::poison:
    return "poison";
  }
  return "pending";
}

std::optional<dead_letter_status> parse_dead_letter_status(std::string_view name) {
  return parse_enum_name<dead_letter_status>(name, all_statuses);
}

dead_letter dead_letter::make(task t, dead_letter_reason why, int64_t now_ms) {
  dead_letter result;
  if (!t.history.empty()) {
    result.first_failure_ms = to_epoch_ms(t.history.front().time);
    result.last_failure_ms = to_epoch_ms(t.history.back().time);
    result.agent = t.history.back().agent;
  }
  result.work = std::move(t);
  result.reason = why;
  result.dead_lettered_ms = now_ms;
  result.updated_ms = now_ms;
  return result;
}

std::string dead_letter::error_text() const {
  std::string result;
  for (auto& attempt : work.history) {
    if (!result.empty())
      result += '\n';
    result += to_string(attempt.error);
  }
  return result;
}

bool operator==(const dead_letter& x, const dead_letter& y) {
  return x.work == y.work && x.reason == y.reason && x.status == y.status && x.note == y.note &&
         x.agent == y.agent && x.first_failure_ms == y.first_failure_ms &&
         x.last_failure_ms == y.last_failure_ms && x.dead_lettered_ms == y.dead_lettered_ms &&
         x.updated_ms == y.updated_ms;
}

void to_json(nlohmann::json& j, const dead_letter& x) {
  j = nlohmann::json{{"task", x.work},
                     {"reason", to_string(x.reason)},
                     {"status", to_string(x.status)},
                     {"note", x.note},
                     {"agent", x.agent},
                     {"first_failure_ms", x.first_failure_ms},
                     {"last_failure_ms", x.last_failure_ms},
                     {"dead_lettered_ms", x.dead_lettered_ms},
                     {"updated_ms", x.updated_ms}};
}

void from_json(const nlohmann::json& j, dead_letter& x) {
  json_reader in{j};
  in.only_keys({"task", "reason", "status", "note", "agent", "first_failure_ms", "last_failure_ms",
                "dead_lettered_ms", "updated_ms"});
  if (!in.has("task"))
    in.fail("task", "the dead-lettered task");
  from_json(j.at("task"), x.work);
  auto reason = in.string("reason", "exhausted");
  if (auto r = parse_dead_letter_reason(reason))
    x.reason = *r;
  else
    in.fail("reason", "a dead-letter reason (exhausted, non_retryable, ...)");
  auto status =
      in.choice("status", "pending", {"pending", "replaying", "replayed", "resolved", "poison"});
  x.status = *parse_dead_letter_status(status);
  x.note = in.string("note", "");
  x.agent = in.string("agent", "");
  x.first_failure_ms = in.integer("first_failure_ms", 0);
  x.last_failure_ms = in.integer("last_failure_ms", 0);
  x.dead_lettered_ms = in.integer("dead_lettered_ms", 0);
  x.updated_ms = in.integer("updated_ms", 0);
}

} // namespace herd
