#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/dead_lettering.hpp"

namespace herd {

/// Where a dead letter stands.
enum class dead_letter_status : uint8_t {
  /// Stored, waiting for an operator or a replay.
  pending,
  /// Chosen by a replay that has not sent it yet.
  replaying,
  /// Sent back to the dispatcher by a replay; its outcome is not known yet.
  replayed,
  /// Sent back by a replay and then completed by an agent.
  succeeded,
  /// Closed by an operator, with a note.
  resolved,
  /// Replayed too often; never replayed by a filter again (only by its id).
  poison,
};

/// The status's name, e.g. "replaying".
std::string to_string(dead_letter_status x);

/// Parses a status name; empty if unknown.
std::optional<dead_letter_status> parse_dead_letter_status(std::string_view name);

/// True for the statuses the dead-letter depth counts: pending, replaying and poison (letters
/// still waiting on someone).
bool counts_in_depth(dead_letter_status x);

/// A task that could not be completed automatically, with everything needed to understand it:
/// the task itself (id, kind, pool, service, payload, replay count and every attempt with its
/// time, agent and failure), why and when it was dead-lettered, and where it stands. Every time
/// in it is wall-clock UTC (ms since the Unix epoch), the task's too (see `task::shift_times`).
/// A task dead-lettered again (after a replay, or submitted again under its id) stays one letter
/// whose history grows (see `merge`).
struct dead_letter {
  /// The task as it last failed; `work.history` holds every attempt of every run, numbered on
  /// across replays; `work.replays` counts the replays sent.
  task work;
  /// Why it was dead-lettered. Default: exhausted.
  dead_letter_reason reason = dead_letter_reason::exhausted;
  /// Where it stands. Default: pending.
  dead_letter_status status = dead_letter_status::pending;
  /// The notes: an audit trail, one "<ISO time> <entry>" line per resolve or reopening; empty if
  /// none.
  std::string note;
  /// The agent of the last attempt, empty if it never reached one.
  std::string agent;
  /// Wall-clock time (ms since the Unix epoch) the first recorded attempt failed; 0 = none.
  int64_t first_failure_ms = 0;
  /// Wall-clock time (ms since the Unix epoch) the last recorded attempt failed; 0 = none.
  int64_t last_failure_ms = 0;
  /// Wall-clock time (ms since the Unix epoch) it was first dead-lettered.
  int64_t dead_lettered_ms = 0;
  /// Wall-clock time (ms since the Unix epoch) of its last change.
  int64_t updated_ms = 0;
  /// Every time the task was dead-lettered, oldest first (one entry for a new letter).
  std::vector<dead_lettering> letterings;

  /// A pending dead letter of `t` (its times already on the wall clock) for `why`, its failure
  /// times and agent taken from the history, stamped with the wall time `now_ms`.
  static dead_letter make(task t, dead_letter_reason why, int64_t now_ms);

  /// The letter `stored` after its task was dead-lettered again as `later`: the history grows by
  /// the attempts `later` adds (those it carried from `stored` are not repeated), numbered on from
  /// the last stored one; the task, reason, agent, last failure and status are `later`'s; the
  /// first dead-lettering, first failure and notes are kept, and `later`'s dead-lettering is
  /// appended. A resolved (or succeeded) letter is reopened with a note saying so.
  static dead_letter merge(dead_letter stored, const dead_letter& later);

  /// Every failure message of the history, one per line (what text filters search).
  std::string error_text() const;
};

/// The history `stored` grown by the attempts `later` adds: those `later` carried from `stored`
/// (a prefix of the same attempts, whatever clock their times are on) are not repeated, and the
/// new ones are numbered on from the last stored one (attempt numbers count across replays).
std::vector<attempt_record> grown_history(std::vector<attempt_record> stored,
                                          const std::vector<attempt_record>& later);

/// `notes` with the audit line "<ISO-8601 UTC of now_ms> <entry>" appended.
std::string append_note(const std::string& notes, int64_t now_ms, const std::string& entry);

/// Field-wise equality.
bool operator==(const dead_letter& x, const dead_letter& y);

/// Makes `dead_letter` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dead_letter& x) {
  return f(caf::meta::type_name("herd::dead_letter"), x.work, x.reason, x.status, x.note, x.agent,
           x.first_failure_ms, x.last_failure_ms, x.dead_lettered_ms, x.updated_ms, x.letterings);
}

/// JSON form: {"task": {...}, "reason", "status", "note", "agent", "first_failure_ms",
/// "last_failure_ms", "dead_lettered_ms", "updated_ms", "letterings": [...]}; times in ms since
/// the Unix epoch.
void to_json(nlohmann::json& j, const dead_letter& x);
/// Reads the JSON form; throws `config_error` naming the bad field.
void from_json(const nlohmann::json& j, dead_letter& x);

} // namespace herd
