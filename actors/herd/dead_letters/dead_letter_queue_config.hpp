#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How the dead-letter queue and the escalation queue store, replay and alert. The one home of
/// their defaults; JSON section "dead_letters".
struct dead_letter_queue_config {
  /// The SQLite database file of dead letters and escalations. Default: "herd.db".
  std::string db = "herd.db";
  /// "full" (a commit is synced: acknowledged = durable, even on power loss) or "normal"
  /// (survives a crash of the process, may lose the last commits on power loss). Default: "full".
  std::string synchronous = "full";
  /// The most dead letters committed in one transaction (group commit). Default: 1024.
  int64_t max_batch = 1024;
  /// Replays after which a task that fails again becomes poison (no automatic replay).
  /// Default: 3.
  int32_t max_replays = 3;
  /// Depth (pending, replaying and poison letters) at which an alert is raised; 0 = never.
  /// Default: 1000.
  int64_t depth_alert = 1000;
  /// How often the queue looks for replay requests of `herd dlq replay` in the database;
  /// 0 = never. Default: 1 s.
  duration poll_interval = from_ms(1000);
  /// Tasks per second of a replay that names no rate. Default: 10.
  double replay_rate = 10;
  /// How long an escalation waits for a person before it goes to the dead-letter queue.
  /// Default: 24 h.
  duration escalation_timeout = from_ms(24LL * 3600 * 1000);
  /// Where each escalation is written as a JSON line: "" = nowhere, "-" = stdout, else a file
  /// (appended). Default: "".
  std::string escalation_log;

  /// Reads {"db", "synchronous", "max_batch", "max_replays", "depth_alert", "poll_interval_ms",
  /// "replay_rate", "escalation_timeout_ms", "escalation_log"}; absent keys keep their defaults.
  static dead_letter_queue_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Makes `dead_letter_queue_config` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dead_letter_queue_config& x) {
  return f(caf::meta::type_name("herd::dead_letter_queue_config"), x.db, x.synchronous, x.max_batch,
           x.max_replays, x.depth_alert, x.poll_interval, x.replay_rate, x.escalation_timeout,
           x.escalation_log);
}

} // namespace herd
