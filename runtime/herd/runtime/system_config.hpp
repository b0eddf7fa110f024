#pragma once

#include <caf/actor_system_config.hpp>

#include "herd/runtime/runtime_config.hpp"

namespace herd {

/// A CAF configuration with herd's message types, error category and the io middleman loaded
/// (for remote actors), sized by a `runtime_config`.
class system_config : public caf::actor_system_config {
public:
  /// A configuration for `config` (uses its `threads`).
  explicit system_config(const runtime_config& config = {});
};

/// Registers every herd message type and the "herd" error category with a CAF config that the
/// user owns. Call it before creating the actor system that a `herd::runtime` joins.
void announce_types(caf::actor_system_config& cfg);

} // namespace herd
