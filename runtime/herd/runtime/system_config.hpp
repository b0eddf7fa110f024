#pragma once

#include <caf/actor_system_config.hpp>

#include "herd/runtime/announce.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace herd {

/// A CAF configuration with herd's message types, error category and the io middleman loaded
/// (for remote actors), sized by a `runtime_config`.
class system_config : public caf::actor_system_config {
public:
  /// A configuration for `config` (uses its `threads`).
  explicit system_config(const runtime_config& config = {});
};

} // namespace herd
