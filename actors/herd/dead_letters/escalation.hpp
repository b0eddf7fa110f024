#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/task.hpp"

namespace herd {

/// Where an escalation stands.
enum class escalation_status : uint8_t {
  /// Waiting for a person.
  open,
  /// A person closed it, with a note.
  resolved,
  /// A person (possibly after editing the payload) sent it back to the dispatcher.
  resubmitted,
  /// Nobody answered in time; it went to the dead-letter queue.
  timed_out,
  /// A person asked for a resubmit from outside the service (`herd escalations amend` or
  /// `resubmit`); the service resubmits it within its poll interval.
  resubmitting,
};

/// The status's name, e.g. "timed_out".
std::string to_string(escalation_status x);

/// Parses a status name; empty if unknown.
std::optional<escalation_status> parse_escalation_status(std::string_view name);

/// A task that needs a person to decide.
struct escalation {
  /// The task, with its whole history.
  task work;
  /// Why it needs a person (policy, unknown failure, ...).
  std::string reason;
  /// Where it stands. Default: open.
  escalation_status status = escalation_status::open;
  /// The notes: an audit trail, one "<ISO time> <status>: <note>" line per decision; empty if
  /// none.
  std::string note;
  /// Wall time it was escalated (ms since the Unix epoch). The task's times are wall times too.
  int64_t escalated_ms = 0;
  /// Wall time of its last change (ms since the Unix epoch).
  int64_t updated_ms = 0;
};

/// Field-wise equality.
bool operator==(const escalation& x, const escalation& y);

/// Makes `escalation` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, escalation& x) {
  return f(caf::meta::type_name("herd::escalation"), x.work, x.reason, x.status, x.note,
           x.escalated_ms, x.updated_ms);
}

/// JSON form: {"task": {...}, "reason", "status", "note", "escalated_ms", "updated_ms"}.
void to_json(nlohmann::json& j, const escalation& x);
/// Reads the JSON form; throws `config_error` naming the bad field.
void from_json(const nlohmann::json& j, escalation& x);

} // namespace herd
