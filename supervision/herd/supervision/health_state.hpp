#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace herd {

/// What the health monitor believes about an agent.
enum class health_state {
  /// Heartbeats arrive in time.
  healthy,
  /// The failure detector fired; the supervisor is being told (isolated at once after).
  suspect,
  /// The dispatcher no longer leases to it; its supervisor replaces it.
  isolated,
  /// Its supervisor is restarting it (a new incarnation will be tracked).
  restarting,
  /// It exited and will not come back (or was untracked).
  stopped,
};

/// The name of a state, e.g. "isolated".
std::string to_string(health_state x);

/// The state named `name`, or none.
std::optional<health_state> parse_health_state(std::string_view name);

} // namespace herd
