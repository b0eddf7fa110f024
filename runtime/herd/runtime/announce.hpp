#pragma once

#include <caf/actor_system_config.hpp>

namespace herd {

/// Registers the runtime module's message types and the "herd" error category with a CAF
/// config, so they cross process boundaries and errors render by name. Call before the actor
/// system is created.
void announce_runtime_types(caf::actor_system_config& cfg);

} // namespace herd
