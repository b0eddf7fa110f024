#pragma once

#include <caf/actor_system_config.hpp>

namespace herd {

/// Registers the actors module's message types (and the runtime module's) with a CAF config.
void announce_actor_types(caf::actor_system_config& cfg);

} // namespace herd
