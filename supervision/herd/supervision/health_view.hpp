#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"
#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/health_state.hpp"

namespace herd {

/// What the health monitor knows about one agent, as of `health_view::now`.
struct agent_health {
  /// The name it is tracked under. Default: empty.
  std::string name;
  /// Default: healthy.
  health_state state = health_state::healthy;
  /// When it entered `state`. Default: the clock's epoch.
  time_point since;
  /// Heartbeat messages received from its current incarnation. Default: 0.
  uint64_t heartbeats = 0;
  /// The sequence number of its last heartbeat. Default: 0.
  uint64_t last_seq = 0;
  /// Expired leases the dispatcher reported. Default: 0.
  uint64_t stuck_reports = 0;
  /// Its last heartbeat (or when tracking began); for a `board_watched` agent, when its
  /// current handler began (`now` when idle). Default: the clock's epoch.
  time_point last_heartbeat;
  /// Time since `last_heartbeat` (0 for an idle `board_watched` agent). Default: 0.
  duration silent = duration{0};
  /// True if it is watched through a live liveness-board slot, so `busy` is known. Default: false.
  bool board_watched = false;
  /// With `board_watched`: how long its current handler runs (0 when idle). Default: 0.
  duration busy = duration{0};
  /// Phi detector: the suspicion level (0 for a `board_watched` agent). Default: 0.
  double phi = 0.0;
  /// Deadline detector: intervals elapsed since the last heartbeat (for a `board_watched`
  /// agent: since its current handler began). Default: 0.
  double missed_intervals = 0.0;
};

/// Makes `agent_health` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_health& x) {
  return f(caf::meta::type_name("herd::agent_health"), x.name, x.state, x.since, x.heartbeats,
           x.last_seq, x.stuck_reports, x.last_heartbeat, x.silent, x.board_watched, x.busy, x.phi,
           x.missed_intervals);
}

/// The health monitor's view of every agent it tracks, as `(health_atom)` answers it.
struct health_view {
  /// The detector the monitor uses for heartbeats. Default: deadline.
  failure_detector_kind detector = failure_detector_kind::deadline;
  /// When the view was taken, on the monitor's actor clock. Default: the clock's epoch.
  time_point now;
  /// The agents, sorted by name. Default: none.
  std::vector<agent_health> agents;

  /// The agent named `name`, or null.
  const agent_health* find(const std::string& name) const;
  /// The JSON form: {"detector", "now_ms", "agents": [{"name", "state", "since_ms",
  /// "heartbeats", "last_seq", "stuck_reports", "last_heartbeat_ms", "silent_ms", "phi" (null
  /// for the deadline detector), "missed_intervals" (deadline detector only), "busy_ms" (board
  /// only)}]}.
  nlohmann::json to_json() const;
};

/// Makes `health_view` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_view& x) {
  return f(caf::meta::type_name("herd::health_view"), x.detector, x.now, x.agents);
}

} // namespace herd
