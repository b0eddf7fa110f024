#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// Which children restart when one fails (Erlang/OTP's strategies).
enum class restart_strategy {
  /// Only the failed child.
  one_for_one,
  /// All children: the others are stopped (in reverse order), then all start in order.
  one_for_all,
  /// The failed child and the children after it in spec order.
  rest_for_one,
};

/// The name of a strategy, e.g. "rest_for_one".
std::string to_string(restart_strategy x);

/// The strategy named `name`, or none.
std::optional<restart_strategy> parse_restart_strategy(std::string_view name);

/// A supervisor's policy: strategy, restart intensity and restart backoff.
struct supervisor_config {
  /// The supervisor's name in logs, metrics and events. Default: "supervisor".
  std::string name = "supervisor";
  /// Default: one_for_one.
  restart_strategy strategy = restart_strategy::one_for_one;
  /// More than this many restarts within `period` and the supervisor gives up, stops its
  /// children and exits with intensity_exceeded (its parent decides). Default: 3 (OTP's 1 is
  /// tight for agents, which crash on bad input more often than OTP workers; backoff throttles).
  int32_t max_restarts = 3;
  /// Default: 10 s.
  duration period = from_ms(10000);
  /// Delay of the first restart of a child. Default: 100 ms.
  duration min_backoff = from_ms(100);
  /// Cap of the delay, which doubles with each consecutive restart. Default: 10 s.
  duration max_backoff = from_ms(10000);
  /// Each delay is multiplied by 1 + random_factor * u, u uniform in [0, 1). Default: 0.2.
  double random_factor = 0.2;
  /// A child that ran this long since its last start restarts from min_backoff again;
  /// 0 = (min_backoff + max_backoff) / 2 as Akka. Default: 0.
  duration reset_after = duration{0};
  /// Seed of the jitter generator (child i uses seed + i). Default: 1.
  uint64_t seed = 1;

  /// Reads {"name", "strategy", "max_restarts", "period_ms", "min_backoff_ms",
  /// "max_backoff_ms", "random_factor", "reset_after_ms", "seed"}; absent keys keep their
  /// defaults; throws `config_error` with the JSON path of a bad field.
  static supervisor_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
