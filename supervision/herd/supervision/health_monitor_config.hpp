#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How the runtime watches the agents it spawns (`health.watch` in JSON).
enum class health_watch : uint8_t {
  /// Each in-process agent stamps its slot of a liveness board around its handlers; "board".
  board,
  /// Every agent sends a heartbeat message each interval; "heartbeats".
  heartbeats,
};

/// The JSON name of a watch mode, e.g. "board".
std::string to_string(health_watch x);

/// The watch mode named `name`, or none.
std::optional<health_watch> parse_health_watch(std::string_view name);

/// The failure detector for heartbeats (`health.detector` in JSON).
enum class failure_detector_kind : uint8_t {
  /// `deadline_detector`; "deadline".
  deadline,
  /// `phi_accrual_detector`; "phi".
  phi,
};

/// The JSON name of a detector, e.g. "phi".
std::string to_string(failure_detector_kind x);

/// The detector named `name`, or none.
std::optional<failure_detector_kind> parse_failure_detector_kind(std::string_view name);

/// How the health monitor watches agents.
struct health_monitor_config {
  /// How the runtime watches the agents it spawns: "board" (each in-process agent stamps its
  /// slot of a liveness board around its handlers and sends nothing; one scan finds a handler
  /// that has not returned within `max_missed` intervals) or "heartbeats" (every agent sends a
  /// heartbeat message each interval to the monitor's `detector`). Agents added with
  /// `runtime::add_agent` and remote agents always send heartbeats. Default: board.
  health_watch watch = health_watch::board;
  /// The failure detector for heartbeats: "deadline" or "phi". Default: deadline.
  failure_detector_kind detector = failure_detector_kind::deadline;
  /// The heartbeat interval agents use (the deadline detector's unit). Default: 1 s.
  duration heartbeat_interval = from_ms(1000);
  /// How often the one check timer runs over all agents. Default: 250 ms (a quarter interval).
  duration check_interval = from_ms(250);
  /// Deadline detector: suspect after more than this many missed intervals. Default: 2.
  int32_t max_missed = 2;
  /// Phi detector: suspect at phi >= threshold. Default: 8.0 (Akka).
  double phi_threshold = 8.0;
  /// Phi detector: intervals kept per agent. Default: 1000 (Akka).
  int64_t max_sample_size = 1000;
  /// Phi detector: lower bound of the standard deviation. Default: 100 ms (Akka).
  duration min_std_deviation = from_ms(100);
  /// Phi detector: pause added to the mean interval. Default: 3 s (Akka).
  duration acceptable_heartbeat_pause = from_ms(3000);
  /// Phi detector: interval assumed before any sample. Default: 1 s (Akka).
  duration first_heartbeat_estimate = from_ms(1000);

  /// Reads {"watch", "detector", "heartbeat_interval_ms", "check_interval_ms", "max_missed",
  /// "phi_threshold", "max_sample_size", "min_std_deviation_ms",
  /// "acceptable_heartbeat_pause_ms", "first_heartbeat_estimate_ms"}; absent keys keep their
  /// defaults; throws `config_error` with the JSON path of a bad field.
  static health_monitor_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Makes `health_monitor_config` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_monitor_config& x) {
  return f(caf::meta::type_name("herd::health_monitor_config"), x.watch, x.detector,
           x.heartbeat_interval, x.check_interval, x.max_missed, x.phi_threshold, x.max_sample_size,
           x.min_std_deviation, x.acceptable_heartbeat_pause, x.first_heartbeat_estimate);
}

} // namespace herd
