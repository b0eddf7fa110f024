#pragma once

#include <functional>

#include <string>

#include "herd/runtime/runtime_config.hpp"
#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/scenario.hpp"
#include "herd/simulation/strategy_result.hpp"

namespace herd {

/// The `herd` and `herd_blind` strategies (and `with_chain`, `without_chain`): the real herd
/// runtime — dispatcher, `calling_agent`s, each service's circuit breaker and admission gate,
/// the retry scheduler with its budget and pacer, the dead-letter and escalation queues (in a
/// temporary SQLite file) — serves the scenario's arrivals against a `service_actor` (and one
/// for the fallback service, if any), configured as a user would (`configure`): `herd` is told
/// the service's capacity as its rate limit, `herd_blind` nothing (its admission control learns
/// the rate from the service's 429s and 503s); `with_chain` is `herd` with the fallback chain. Runs
/// on CAF's test coordinator driven by `herd::virtual_time` (or, `realtime`, on the real
/// scheduler); the same seed repeats a virtual run exactly.
class herd_simulation {
public:
  /// Called about every simulated second with the simulated seconds so far.
  using progress_fn = std::function<void(double)>;

  /// A run of `strategy` ("herd" or "herd_blind") in `config` over `arrivals`; `realtime` uses
  /// the real scheduler and wall time.
  herd_simulation(const scenario& config, const arrival_schedule& arrivals, bool realtime = false,
                  std::string strategy = "herd");

  /// Runs until every task ended; returns the report entry.
  strategy_result run(const progress_fn& progress = {});

  /// herd's configuration for a scenario: the task kind's preset policy with the scenario's
  /// attempts, full jitter between base and cap; a breaker that notices an outage within a few
  /// dozen calls and probes every second or so; for `herd` (not `blind`) each service's
  /// capacity as its admission rate, with retry pacing and budget scaled to the primary's;
  /// `blind` keeps every rate at its default; `chain` (with a fallback service) configures the
  /// scenario's fallback chain for the task kind.
  static runtime_config configure(const scenario& config, bool blind = false, bool chain = false);
  /// The name of the service the tasks name (the primary): "service".
  static const char* service();

private:
  const scenario* config_;
  const arrival_schedule* arrivals_;
  bool realtime_;
  std::string strategy_;
};

} // namespace herd
