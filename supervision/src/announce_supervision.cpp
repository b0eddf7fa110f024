#include "herd/supervision/announce_supervision.hpp"

#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/supervision_errc.hpp"

namespace herd {

void announce_supervision_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<health_monitor_config>("herd::health_monitor_config");
  cfg.add_error_category(caf::atom("herdsup"), render_supervision_errc);
}

} // namespace herd
