#pragma once

#include <cstdint>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How a pool's autoscaler sizes the pool (a pool's `"autoscaling"` section; see
/// docs/pools.md). Off unless the section is there.
///
/// JSON form: {"min_agents": 1, "max_agents": 4, "target_queue_per_agent": 4,
/// "scale_up_after_ms": 5000, "scale_down_after_ms": 30000, "scale_up_cooldown_ms": 10000,
/// "scale_down_cooldown_ms": 30000, "sample_interval_ms": 1000, "max_step": 4}.
struct autoscaling_config {
  /// The fewest agents the pool keeps (>= 1). Default: 1.
  int32_t min_agents = 1;
  /// The most agents the pool grows to (>= min_agents). Default: 4.
  int32_t max_agents = 4;
  /// Queued tasks per agent the pool tolerates; more is a backlog. Default: 4.
  double target_queue_per_agent = 4;
  /// How long a backlog must last before the pool grows (a blip does not). Default: 5 s.
  duration scale_up_after = from_ms(5000);
  /// How long some agents must be idle (nothing queued) before the pool shrinks by one.
  /// Default: 30 s.
  duration scale_down_after = from_ms(30000);
  /// After any change, how long before the pool may grow again. Default: 10 s.
  duration scale_up_cooldown = from_ms(10000);
  /// After any change, how long before the pool may shrink again. Default: 30 s.
  duration scale_down_cooldown = from_ms(30000);
  /// How often the autoscaler samples the pool's load at the dispatcher. Default: 1 s.
  duration sample_interval = from_ms(1000);
  /// The most agents one scale-up adds, or one scale-down removes. Default: 4.
  int32_t max_step = 4;

  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field.
  static autoscaling_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
