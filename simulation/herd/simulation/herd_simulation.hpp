#pragma once

#include <functional>

#include "herd/retry/adaptive_pacer.hpp"
#include "herd/runtime/runtime_config.hpp"
#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/scenario.hpp"
#include "herd/simulation/strategy_result.hpp"

namespace herd {

/// The `herd` strategy: the real herd actors — dispatcher, `calling_agent`s, a circuit breaker
/// from the breaker registry, the retry scheduler with its budget and pacer, the dead-letter and
/// escalation queues (in a temporary SQLite file) — serve the scenario's arrivals against a
/// `service_actor`, behind a `rate_gate` that paces admission at the service's published rate
/// limit. Runs on CAF's test coordinator driven by `herd::virtual_time` (or, `realtime`, on the
/// real scheduler); the same seed repeats a virtual run exactly.
class herd_simulation {
public:
  /// Called about every simulated second with the simulated seconds so far.
  using progress_fn = std::function<void(double)>;

  /// A run of `config` over `arrivals`; `realtime` uses the real scheduler and wall time.
  herd_simulation(const scenario& config, const arrival_schedule& arrivals, bool realtime = false);

  /// Runs until every task ended; returns the report entry.
  strategy_result run(const progress_fn& progress = {});

  /// herd's configuration for a scenario: the task kind's preset policy with the scenario's
  /// attempts, full jitter between base and cap; a breaker that notices an outage within a few
  /// dozen calls and probes every few seconds; retry pacing and budget scaled to the capacity.
  static runtime_config configure(const scenario& config);
  /// The admission pacing of the rate gate: at most `capacity_per_s`, slowing by a tenth per
  /// second (to a tenth of it at least) while the service rejects calls, back at half of it per
  /// second.
  static adaptive_pacer::settings gate_pacing(const scenario& config);

private:
  const scenario* config_;
  const arrival_schedule* arrivals_;
  bool realtime_;
};

} // namespace herd
