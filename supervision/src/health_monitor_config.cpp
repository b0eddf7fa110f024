#include "herd/supervision/health_monitor_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/enum_name.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(health_watch x) {
  switch (x) {
  case health_watch::board:
    return "board";
  case health_watch::heartbeats:
    return "heartbeats";
  }
  return "unknown";
}

std::optional<health_watch> parse_health_watch(std::string_view name) {
  return parse_enum_name<health_watch>(name, {health_watch::board, health_watch::heartbeats});
}

std::string to_string(failure_detector_kind x) {
  switch (x) {
  case failure_detector_kind::deadline:
    return "deadline";
  case failure_detector_kind::phi:
    return "phi";
  }
  return "unknown";
}

std::optional<failure_detector_kind> parse_failure_detector_kind(std::string_view name) {
  return parse_enum_name<failure_detector_kind>(
      name, {failure_detector_kind::deadline, failure_detector_kind::phi});
}

health_monitor_config health_monitor_config::from_json(const json_reader& in) {
  in.only_keys({"watch", "detector", "heartbeat_interval_ms", "check_interval_ms", "max_missed",
                "phi_threshold", "max_sample_size", "min_std_deviation_ms",
                "acceptable_heartbeat_pause_ms", "first_heartbeat_estimate_ms"});
  health_monitor_config r;
  r.watch = *parse_health_watch(in.choice("watch", to_string(r.watch), {"board", "heartbeats"}));
  r.detector = *parse_failure_detector_kind(
      in.choice("detector", to_string(r.detector), {"deadline", "phi"}));
  r.heartbeat_interval = in.millis("heartbeat_interval_ms", r.heartbeat_interval);
  if (r.heartbeat_interval.count() == 0)
    in.fail("heartbeat_interval_ms", "a duration in milliseconds > 0");
  r.check_interval = in.millis("check_interval_ms", r.check_interval);
  if (r.check_interval.count() == 0)
    in.fail("check_interval_ms", "a duration in milliseconds > 0");
  r.max_missed = static_cast<int32_t>(in.integer("max_missed", r.max_missed, 1, 1000));
  r.phi_threshold = in.number("phi_threshold", r.phi_threshold, 0.1, 1000.0);
  r.max_sample_size = in.integer("max_sample_size", r.max_sample_size, 1, 100000);
  r.min_std_deviation = in.millis("min_std_deviation_ms", r.min_std_deviation);
  if (r.min_std_deviation.count() == 0)
    in.fail("min_std_deviation_ms", "a duration in milliseconds > 0");
  r.acceptable_heartbeat_pause =
      in.millis("acceptable_heartbeat_pause_ms", r.acceptable_heartbeat_pause);
  r.first_heartbeat_estimate = in.millis("first_heartbeat_estimate_ms", r.first_heartbeat_estimate);
  if (r.first_heartbeat_estimate.count() == 0)
    in.fail("first_heartbeat_estimate_ms", "a duration in milliseconds > 0");
  return r;
}

nlohmann::json health_monitor_config::to_json() const {
  return {{"watch", to_string(watch)},
          {"detector", to_string(detector)},
          {"heartbeat_interval_ms", to_ms(heartbeat_interval)},
          {"check_interval_ms", to_ms(check_interval)},
          {"max_missed", max_missed},
          {"phi_threshold", phi_threshold},
          {"max_sample_size", max_sample_size},
          {"min_std_deviation_ms", to_ms(min_std_deviation)},
          {"acceptable_heartbeat_pause_ms", to_ms(acceptable_heartbeat_pause)},
          {"first_heartbeat_estimate_ms", to_ms(first_heartbeat_estimate)}};
}

} // namespace herd
