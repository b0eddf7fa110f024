#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "herd/retry/backoff_policy.hpp"
#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/scenario.hpp"
#include "herd/simulation/strategy_result.hpp"

namespace herd {

/// The fleet without herd: each agent takes the next waiting task, calls the service and, on a
/// failure, sleeps on its own clock (holding the task) before it calls again, until the task
/// succeeds or runs out of `max_attempts` (then it counts as dead-lettered). The sleep follows
/// the strategy: `immediate` retries at once and ignores Retry-After; the others honour a
/// Retry-After exactly, as the official LLM SDKs do, and otherwise sleep per their formula of
/// REFERENCES.md with the scenario's base and cap. A discrete-event simulation over the same
/// `service_model` the herd strategy calls through actors; the same seed repeats it exactly.
class baseline_simulation {
public:
  /// Called about every simulated second with the simulated seconds so far.
  using progress_fn = std::function<void(double)>;

  /// A run of `strategy` (not "herd") in `config` over `arrivals`.
  baseline_simulation(const scenario& config, std::string strategy,
                      const arrival_schedule& arrivals);

  /// Runs until every task ended; returns the report entry.
  strategy_result run(const progress_fn& progress = {});

  /// The formula named `kind` (none, exponential, full_jitter, equal_jitter or
  /// decorrelated_jitter; std::invalid_argument otherwise) with `base`, `cap` and multiplier 2.
  static backoff_policy classic_policy(std::string_view kind, duration base, duration cap);
  /// The backoff formula of a classic strategy name (immediate = none).
  static backoff_policy policy_of(const std::string& strategy, const scenario& config);

private:
  const scenario* config_;
  std::string strategy_;
  const arrival_schedule* arrivals_;
};

} // namespace herd
