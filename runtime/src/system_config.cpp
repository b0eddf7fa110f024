#include "herd/runtime/system_config.hpp"

#include <caf/io/middleman.hpp>

#include "herd/runtime/announce_actors.hpp"
#include "herd/supervision/announce_supervision.hpp"

namespace herd {

system_config::system_config(const runtime_config& config) {
  load<caf::io::middleman>();
  announce_types(*this);
  if (config.threads > 0)
    set("scheduler.max-threads", static_cast<size_t>(config.threads));
}

void announce_types(caf::actor_system_config& cfg) {
  announce_actor_types(cfg);
  announce_supervision_types(cfg);
}

} // namespace herd
