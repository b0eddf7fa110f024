#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/retry/adaptive_pacer.hpp"
#include "herd/retry/retry_budget.hpp"
#include "herd/retry/retry_planner.hpp"

namespace herd {

class json_reader;

/// What a due retry does when its service's retry budget is spent.
enum class budget_action : uint8_t {
  /// It waits until the budget allows it.
  wait,
  /// It goes to the dead-letter queue (reason budget_exhausted).
  dead_letter,
};

/// The retry scheduler's settings; every default is written here, once. The failure policies
/// per task kind come from `runtime_config::policies`.
///
/// JSON form (all keys optional):
/// {"seed": 42, "max_pending": 1000000, "backoff_memory": 100000,
///  "retry_after_spread": {"window_ms": 1000, "ratio": 0.25},
///  "budget": {"enabled": true, "max_tokens": 100, "token_ratio": 0.5,
///             "min_retries_per_s": 10, "on_exhausted": "wait"},
///  "pacing": {"enabled": true, "initial_rate": 100, "min_rate": 1, "max_rate": 1000,
///             "increase_per_s": 5, "decrease_factor": 0.5, "failure_ratio": 0.5,
///             "decrease_interval_ms": 1000, "burst": 5}}
struct retry_scheduler_config {
  /// Seed of the jitter generators; the same seed repeats a run exactly. Default: 42.
  uint64_t seed = 42;
  /// Pending retries at most; a failure beyond it is dead-lettered (budget_exhausted).
  /// Default: 1000000.
  int64_t max_pending = 1000000;
  /// Tasks whose previous decorrelated-jitter sleep is remembered. Default: 100000.
  int64_t backoff_memory = 100000;
  /// How returns told the same Retry-After instant are spread. Default: 1 s window, ratio 0.25.
  retry_planner::settings spread;
  /// True to cap retries per service with a retry budget. Default: true.
  bool budget_enabled = true;
  /// The retry budget of each service (defaults in `retry_budget::settings`).
  retry_budget::settings budget;
  /// What a due retry does when the budget is spent. Default: wait.
  budget_action on_budget_exhausted = budget_action::wait;
  /// True to pace the releases to each service. Default: true.
  bool pacing_enabled = true;
  /// The adaptive pacer of each service (defaults in `adaptive_pacer::settings`).
  adaptive_pacer::settings pacing;

  /// Reads the JSON form; absent keys keep their defaults; throws `config_error` naming the
  /// JSON path of a bad field.
  static retry_scheduler_config from_json(const json_reader& in);
  /// The JSON form, with every default spelled out.
  nlohmann::json to_json() const;
};

/// The name of an action, e.g. "wait".
std::string to_string(budget_action x);

} // namespace herd
