#include "herd/supervision/announce_supervision.hpp"

#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/health_view.hpp"
#include "herd/supervision/supervision_errc.hpp"
#include "herd/supervision/supervision_event.hpp"

namespace herd {

void announce_supervision_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<health_monitor_config>("herd::health_monitor_config");
  cfg.add_message_type<health_state>("herd::health_state");
  cfg.add_message_type<agent_health>("herd::agent_health");
  cfg.add_message_type<health_view>("herd::health_view");
  cfg.add_message_type<supervision_event>("herd::supervision_event");
  cfg.add_error_category(caf::atom("herdsup"), render_supervision_errc);
}

} // namespace herd
