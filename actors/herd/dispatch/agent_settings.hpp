#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>

#include "herd/core/time.hpp"
#include "herd/dispatch/liveness_board.hpp"
#include "herd/dispatch/recycle_policy.hpp"

namespace herd {
class call_guard;
}

namespace herd {

/// What an agent learns from the runtime when it joins a pool (the `setup_atom` message).
struct agent_settings {
  /// The agent's name, unique in the runtime (e.g. "llm-3").
  std::string name;
  /// The pool it serves.
  std::string pool;
  /// Who receives its heartbeats; none = no heartbeats.
  caf::actor heartbeat_target;
  /// How often it sends heartbeats; 0 = never. Default: 1 s.
  duration heartbeat_interval = from_ms(1000);
  /// In-process only (not serialized): the liveness board the agent stamps around each batch of
  /// tasks it runs, instead of sending heartbeats; none = heartbeats. Default: none.
  std::shared_ptr<liveness_board> board;
  /// The agent's slot of `board`. Default: 0.
  uint64_t board_slot = 0;
  /// In-process only (not serialized): the runtime's guard of service calls (`agent::call`):
  /// services, breakers, step and loop limits, budgets; none = `call` fails unavailable.
  /// Default: none.
  std::shared_ptr<call_guard> guard;
  /// When the agent is replaced by a fresh one (its pool's `"recycling"`). Default: never.
  recycle_policy recycling;
  /// In-process only (not serialized): the runtime's lock manager (`agent::with_lock`); none =
  /// `with_lock` fails unavailable. Default: none.
  caf::actor locks;
};

/// Makes `agent_settings` serializable by CAF; the board and the guard stay behind (a remote agent
/// sends heartbeats).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_settings& x) {
  return f(caf::meta::type_name("herd::agent_settings"), x.name, x.pool, x.heartbeat_target,
           x.heartbeat_interval, x.recycling);
}

} // namespace herd
