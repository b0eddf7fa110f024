#include "herd/runtime/announce.hpp"

#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/attempt_record.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/failure.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dispatch/dispatcher_config.hpp"
#include "herd/retry/backoff_policy.hpp"
#include "herd/retry/failure_policy.hpp"

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
