#include "herd/dead_letters/dead_letter_queue_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

dead_letter_queue_config dead_letter_queue_config::from_json(const json_reader& in) {
  in.only_keys({"db", "synchronous", "max_batch", "max_replays", "depth_alert", "poll_interval_ms",
                "replay_rate", "escalation_timeout_ms", "escalation_log"});
  dead_letter_queue_config result;
  result.db = in.string("db", result.db);
  if (result.db.empty())
    in.fail("db", "a database file name");
  result.synchronous = in.choice("synchronous", result.synchronous, {"full", "normal"});
  result.max_batch = in.integer("max_batch", result.max_batch, 1, 1000000);
  result.max_replays =
      static_cast<int32_t>(in.integer("max_replays", result.max_replays, 0, 1000000));
  result.depth_alert = in.integer("depth_alert", result.depth_alert, 0);
  result.poll_interval = in.millis("poll_interval_ms", result.poll_interval);
  result.replay_rate = in.number("replay_rate", result.replay_rate, 0.001, 1e9);
  result.escalation_timeout = in.millis("escalation_timeout_ms", result.escalation_timeout);
  if (result.escalation_timeout.count() == 0)
    in.fail("escalation_timeout_ms", "a duration in milliseconds > 0");
  result.escalation_log = in.string("escalation_log", result.escalation_log);
  return result;
}

nlohmann::json dead_letter_queue_config::to_json() const {
  return {{"db", db},
          {"synchronous", synchronous},
          {"max_batch", max_batch},
          {"max_replays", max_replays},
          {"depth_alert", depth_alert},
          {"poll_interval_ms", to_ms(poll_interval)},
          {"replay_rate", replay_rate},
          {"escalation_timeout_ms", to_ms(escalation_timeout)},
          {"escalation_log", escalation_log}};
}

} // namespace herd
