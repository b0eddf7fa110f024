#include "herd/announce.hpp"

#include "herd/attempt_record.hpp"
#include "herd/backoff_policy.hpp"
#include "herd/breaker_transition.hpp"
#include "herd/dead_letter_reason.hpp"
#include "herd/dispatcher_config.hpp"
#include "herd/errc.hpp"
#include "herd/failure.hpp"
#include "herd/failure_policy.hpp"
#include "herd/outcome.hpp"
#include "herd/task.hpp"

namespace herd {

void announce_runtime_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<failure>("herd::failure");
  cfg.add_message_type<attempt_record>("herd::attempt_record");
  cfg.add_message_type<task>("herd::task");
  cfg.add_message_type<outcome>("herd::outcome");
  cfg.add_message_type<backoff_policy>("herd::backoff_policy");
  cfg.add_message_type<failure_policy>("herd::failure_policy");
  cfg.add_message_type<dispatcher_config>("herd::dispatcher_config");
  cfg.add_message_type<breaker_transition>("herd::breaker_transition");
  cfg.add_message_type<dead_letter_reason>("herd::dead_letter_reason");
  cfg.add_error_category(caf::atom("herd"), render_errc);
}

} // namespace herd
