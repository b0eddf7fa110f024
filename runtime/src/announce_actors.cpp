#include "herd/runtime/announce_actors.hpp"

#include <vector>

#include "herd/breakers/breaker_errc.hpp"
#include "herd/breakers/breaker_policy.hpp"
#include "herd/breakers/breaker_registry_config.hpp"
#include "herd/breakers/breaker_status.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter.hpp"
#include "herd/dead_letters/dead_letter_errc.hpp"
#include "herd/dead_letters/dead_letter_filter.hpp"
#include "herd/dead_letters/dead_letter_stats.hpp"
#include "herd/dead_letters/escalation.hpp"
#include "herd/dead_letters/replay_request.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/runtime/announce.hpp"

namespace herd {

void announce_actor_types(caf::actor_system_config& cfg) {
  announce_runtime_types(cfg);
  cfg.add_message_type<agent_settings>("herd::agent_settings");
  cfg.add_message_type<dispatcher_stats>("herd::dispatcher_stats");
  cfg.add_message_type<std::vector<task>>("std::vector<herd::task>");
  cfg.add_message_type<std::vector<outcome>>("std::vector<herd::outcome>");
  cfg.add_message_type<std::vector<uint64_t>>("std::vector<uint64_t>");
  cfg.add_message_type<breaker_state>("herd::breaker_state");
  cfg.add_message_type<breaker_policy>("herd::breaker_policy");
  cfg.add_message_type<breaker_registry_config>("herd::breaker_registry_config");
  cfg.add_message_type<breaker_status>("herd::breaker_status");
  cfg.add_error_category(caf::atom("breaker"), render_breaker_errc);
  cfg.add_error_category(caf::atom("deadletter"), render_dead_letter_errc);
  cfg.add_message_type<dead_letter>("herd::dead_letter");
  cfg.add_message_type<std::vector<dead_letter>>("std::vector<herd::dead_letter>");
  cfg.add_message_type<dead_letter_filter>("herd::dead_letter_filter");
  cfg.add_message_type<dead_letter_stats>("herd::dead_letter_stats");
  cfg.add_message_type<replay_request>("herd::replay_request");
  cfg.add_message_type<escalation>("herd::escalation");
  cfg.add_message_type<std::vector<escalation>>("std::vector<herd::escalation>");
}

} // namespace herd
