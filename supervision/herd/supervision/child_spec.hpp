#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>

#include "herd/core/time.hpp"

namespace herd {

/// When a supervisor restarts a child (Erlang/OTP's restart types).
enum class restart_type {
  /// Always restarted, whatever the exit reason.
  permanent,
  /// Restarted only after an abnormal exit (not normal, not user_shutdown) or a hang.
  transient,
  /// Never restarted.
  temporary,
};

/// The name of a restart type, e.g. "transient".
std::string to_string(restart_type x);

/// The restart type named `name`, or none.
std::optional<restart_type> parse_restart_type(std::string_view name);

/// How a supervisor starts, restarts and stops one child.
struct child_spec {
  /// The child's id, unique under its supervisor; agents use their name, so the health monitor
  /// and the supervisor agree on it.
  std::string id;
  /// Spawns a fresh incarnation (and may configure it: setup, join the dispatcher). Called in the
  /// supervisor's context; an invalid handle counts as a failed start.
  std::function<caf::actor(caf::actor_system&)> start;
  /// Default: permanent.
  restart_type restart = restart_type::permanent;
  /// How long a child may take to stop after `exit(user_shutdown)` before it is killed;
  /// 0 = kill at once (brutal_kill). Default: 5 s (OTP's worker default).
  duration shutdown_timeout = from_ms(5000);
  /// Registers every incarnation with the supervisor's health monitor under `id`. Default: false.
  bool heartbeats = false;
  /// With `heartbeats`: the liveness-board slot the fresh incarnation stamps (called right after
  /// `start`), so the monitor watches the board instead of heartbeat messages; unset or none =
  /// heartbeat messages. Default: unset.
  std::function<std::optional<uint64_t>(const caf::actor&)> board_slot;
};

/// `spec`, except that its first start adopts `first`, an incarnation the caller already
/// started (so the caller holds its handle at once); later starts call `spec.start`.
child_spec adopting(child_spec spec, caf::actor first);

} // namespace herd

// A child_spec travels only between actors of one process (`add_child_atom`).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(herd::child_spec)
