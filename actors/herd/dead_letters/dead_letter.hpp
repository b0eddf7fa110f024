#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"

namespace herd {

/// Where a dead letter stands.
enum class dead_letter_status : uint8_t {
  /// Stored, waiting for an operator or a replay.
  pending,
  /// Chosen by a replay that has not sent it yet.
  replaying,
  /// Sent back to the dispatcher by a replay.
  replayed,
  /// Closed by an operator, with a note.
  resolved,
  /// Replayed too often; never replayed by a filter again (only by its id).
  poison,
};

/// The status's name, e.g. "replaying".
std::string to_string(dead_letter_status x);

/// Parses a status name; empty if unknown.
std::optional<dead_letter_status> parse_dead_letter_status(std::string_view name);

/// A task that could not be completed automatically, with everything needed to understand it:
/// the task itself (id, kind, pool, service, payload, replay count and every attempt with its
/// time, agent and failure), why and when it was dead-lettered, and where it stands.
struct dead_letter {
  /// The task as it last failed; `work.history` holds every attempt, `work.replays` the replays.
  task work;
  /// Why it was dead-lettered. Default: exhausted.
  dead_letter_reason reason = dead_letter_reason::exhausted;
  /// Where it stands. Default: pending.
  dead_letter_status status = dead_letter_status::pending;
  /// The operator's note (set by resolve), empty if none.
  std::string note;
  /// The agent of the last attempt, empty if it never reached one.
  std::string agent;
  /// When the first recorded attempt failed (actor clock, ms since its epoch).
  int64_t first_failure_ms = 0;
  /// When the last recorded attempt failed (actor clock, ms since its epoch).
  int64_t last_failure_ms = 0;
  /// Wall-clock time (ms since the Unix epoch) it was first dead-lettered.
  int64_t dead_lettered_ms = 0;
  /// Wall-clock time (ms since the Unix epoch) of its last change.
  int64_t updated_ms = 0;

  /// A pending dead letter of `t` for `why`, its failure times and agent taken from the history,
  /// stamped with the wall time `now_ms`.
  static dead_letter make(task t, dead_letter_reason why, int64_t now_ms);

  /// Every failure message of the history, one per line (what text filters search).
  std::string error_text() const;
};

/// Field-wise equality.
bool operator==(const dead_letter& x, const dead_letter& y);

/// Makes `dead_letter` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dead_letter& x) {
  return f(caf::meta::type_name("herd::dead_letter"), x.work, x.reason, x.status, x.note, x.agent,
           x.first_failure_ms, x.last_failure_ms, x.dead_lettered_ms, x.updated_ms);
}

/// JSON form: {"task": {...}, "reason", "status", "note", "agent", "first_failure_ms",
/// "last_failure_ms", "dead_lettered_ms", "updated_ms"}.
void to_json(nlohmann::json& j, const dead_letter& x);
/// Reads the JSON form; throws `config_error` naming the bad field.
void from_json(const nlohmann::json& j, dead_letter& x);

} // namespace herd
