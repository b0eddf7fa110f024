#pragma once

#include <caf/actor_system_config.hpp>

namespace herd {

/// Registers the supervision module's message types and its error category ("herdsup") with a
/// CAF config. Call it after `announce_actor_types(cfg)`.
void announce_supervision_types(caf::actor_system_config& cfg);

} // namespace herd
