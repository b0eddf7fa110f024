#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

/// What happened in a supervision event.
enum class supervision_event_kind : uint8_t {
  /// The health monitor's detector fired for an agent.
  suspect,
  /// The health monitor isolated an agent at the dispatcher.
  isolated,
  /// The dispatcher reported an expired lease of an agent.
  stuck,
  /// A supervisor's child exited.
  exited,
  /// A supervisor schedules the restart of one or more children.
  restarting,
  /// A supervisor started a new incarnation of a child.
  restarted,
  /// A supervisor abandoned a hung child.
  abandoned,
  /// A supervisor exceeded its restart intensity, gave up and exited (its parent decides).
  gave_up,
  /// An agent retired for recycling (max_tasks, max_age, resident bytes) and its supervisor
  /// started a fresh one.
  recycled,
  /// A pool's autoscaler added agents through the pool's supervisor (the detail says why).
  scaled_up,
  /// A pool's autoscaler removed an idle agent after it finished its leases.
  scaled_down,
  /// The process's resident memory rose above the watchdog's soft limit (an alert).
  memory_soft_limit,
  /// The process's resident memory rose above the hard limit: intake is paused.
  memory_hard_limit,
  /// The process's resident memory fell back below the limits (intake resumes).
  memory_recovered,
};

/// The name of a kind, e.g. "isolated".
std::string to_string(supervision_event_kind x);

/// The kind named `name`, or none.
std::optional<supervision_event_kind> parse_supervision_event_kind(std::string_view name);

/// An event of a health monitor or supervisor, sent to subscribers with `sup_event_atom`.
struct supervision_event {
  /// What happened. Default: suspect.
  supervision_event_kind kind = supervision_event_kind::suspect;
  /// Who reports it: "health_monitor" or the supervisor's name. Default: empty.
  std::string source;
  /// The agent or child it concerns. Default: empty.
  std::string name;
  /// A sentence for operators (a reason, an exit reason, the children restarting). Default: empty.
  std::string detail;
  /// When it happened, on the actor clock of the reporter. Default: the clock's epoch.
  time_point at;
  /// The CAF actor id of the incarnation it concerns (an agent restarts under its name with a
  /// new id), 0 when none or unknown. Default: 0.
  uint64_t actor_id = 0;

  /// The JSON form: {"event", "source", "name", "detail", "at_ms"}, and "actor_id" when known.
  nlohmann::json to_json() const;
};

/// Makes `supervision_event` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervision_event& x) {
  return f(caf::meta::type_name("herd::supervision_event"), x.kind, x.source, x.name, x.detail,
           x.at, x.actor_id);
}

} // namespace herd
