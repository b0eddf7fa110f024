#include "herd/announce_actors.hpp"

#include <vector>

#include "herd/agent_settings.hpp"
#include "herd/announce.hpp"
#include "herd/dispatcher_stats.hpp"
#include "herd/task.hpp"

namespace herd {

void announce_actor_types(caf::actor_system_config& cfg) {
  announce_runtime_types(cfg);
  cfg.add_message_type<agent_settings>("herd::agent_settings");
  cfg.add_message_type<dispatcher_stats>("herd::dispatcher_stats");
  cfg.add_message_type<std::vector<task>>("std::vector<herd::task>");
}

} // namespace herd
