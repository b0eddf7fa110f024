#include "herd/runtime/system_config.hpp"

#include <caf/io/middleman.hpp>

#include "herd/runtime/announce.hpp"

namespace herd {

system_config::system_config(const runtime_config& config) {
  load<caf::io::middleman>();
  announce_types(*this);
  config.node.apply_to(*this); // the same heartbeats and timeout on every node of a fleet
  if (config.threads > 0)
    set("scheduler.max-threads", static_cast<size_t>(config.threads));
}

} // namespace herd
