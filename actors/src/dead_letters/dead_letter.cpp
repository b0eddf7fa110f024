#include "herd/dead_letters/dead_letter.hpp"
#include "herd/core/enum_name.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/core/wall_time.hpp"

namespace herd {

namespace {

constexpr dead_letter_status all_statuses[] = {
    dead_letter_status::pending,   dead_letter_status::replaying, dead_letter_status::replayed,
    dead_letter_status::succeeded, dead_letter_status::resolved,  dead_letter_status::poison};

/// Same attempt, whatever clock its time was carried on.
bool same_attempt(const attempt_record& x, const attempt_record& y) {
  return x.number == y.number && x.agent == y.agent && x.error == y.error;
}

} // namespace

std::string to_string(dead_letter_status x) {
  switch (x) {
  case dead_letter_status::pending:
    return "pending";
  case dead_letter_status::replaying:
    return "replaying";
  case dead_letter_status::replayed:
    return "replayed";
  case dead_letter_status::succeeded:
    return "succeeded";
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

bool counts_in_depth(dead_letter_status x) {
  return x == dead_letter_status::pending || x == dead_letter_status::replaying ||
         x == dead_letter_status::poison;
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
  result.letterings.push_back(
      {now_ms, why, result.work.replays,
       result.work.history.empty() ? 0 : result.work.history.back().number});
  return result;
}

std::vector<attempt_record> grown_history(std::vector<attempt_record> stored,
                                          const std::vector<attempt_record>& later) {
  // A replay carries the stored history along: only what follows it is new.
  size_t carried = 0;
  if (later.size() >= stored.size() &&
      std::equal(stored.begin(), stored.end(), later.begin(), same_attempt))
    carried = stored.size();
  int32_t number = stored.empty() ? 0 : stored.back().number;
  for (auto i = later.begin() + static_cast<std::ptrdiff_t>(carried); i != later.end(); ++i) {
    stored.push_back(*i);
    stored.back().number = ++number;
  }
  return stored;
}

dead_letter dead_letter::merge(dead_letter stored, const dead_letter& later) {
  auto history = grown_history(std::move(stored.work.history), later.work.history);
  int32_t number = history.empty() ? 0 : history.back().number;
  auto created = stored.work.created;
  stored.work = later.work;
  stored.work.history = std::move(history);
  stored.work.replays = std::max(stored.work.replays, later.work.replays);
  if (created != time_point{})
    stored.work.created = created;
  if (stored.status == dead_letter_status::resolved ||
      stored.status == dead_letter_status::succeeded)
    stored.note = append_note(stored.note, later.updated_ms,
                              "reopened: dead-lettered again (" + to_string(later.reason) +
                                  ") after it was " + to_string(stored.status));
  stored.status = later.status;
  stored.reason = later.reason;
  if (!later.note.empty())
    stored.note = append_note(stored.note, later.updated_ms, later.note);
  if (!later.agent.empty())
    stored.agent = later.agent;
  if (stored.first_failure_ms == 0)
    stored.first_failure_ms = later.first_failure_ms;
  if (later.last_failure_ms != 0)
    stored.last_failure_ms = later.last_failure_ms;
  stored.updated_ms = later.updated_ms;
  for (auto lettering : later.letterings) {
    lettering.last_attempt = number;
    stored.letterings.push_back(lettering);
  }
  return stored;
}

std::string append_note(const std::string& notes, int64_t now_ms, const std::string& entry) {
  return notes + (notes.empty() ? "" : "\n") + format_utc(now_ms) + " " + entry;
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
         x.updated_ms == y.updated_ms && x.letterings == y.letterings;
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
                     {"updated_ms", x.updated_ms},
                     {"letterings", x.letterings}};
}

void from_json(const nlohmann::json& j, dead_letter& x) {
  json_reader in{j};
  in.only_keys({"task", "reason", "status", "note", "agent", "first_failure_ms", "last_failure_ms",
                "dead_lettered_ms", "updated_ms", "letterings"});
  if (!in.has("task"))
    in.fail("task", "the dead-lettered task");
  from_json(j.at("task"), x.work);
  auto reason = in.string("reason", "exhausted");
  if (auto r = parse_dead_letter_reason(reason))
    x.reason = *r;
  else
    in.fail("reason", "a dead-letter reason (exhausted, non_retryable, ...)");
  auto status = in.choice("status", "pending",
                          {"pending", "replaying", "replayed", "succeeded", "resolved", "poison"});
  x.status = *parse_dead_letter_status(status);
  x.note = in.string("note", "");
  x.agent = in.string("agent", "");
  x.first_failure_ms = in.integer("first_failure_ms", 0);
  x.last_failure_ms = in.integer("last_failure_ms", 0);
  x.dead_lettered_ms = in.integer("dead_lettered_ms", 0);
  x.updated_ms = in.integer("updated_ms", 0);
  x.letterings.clear();
  if (in.has("letterings"))
    for (auto& element : in.at("letterings").elements())
      x.letterings.push_back(element.value().get<dead_lettering>());
}

} // namespace herd
