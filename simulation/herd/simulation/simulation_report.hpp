#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/simulation/scenario.hpp"
#include "herd/simulation/strategy_result.hpp"

namespace herd {

/// The result of `herd simulate SCENARIO.json`: every strategy of the scenario run over the same
/// arrivals.
struct simulation_report {
  /// Called during a run with the strategy's name and its simulated seconds so far (first with 0,
  /// before the strategy sets up its agents).
  using progress_fn = std::function<void(const std::string&, double)>;

  /// The scenario's name.
  std::string scenario;
  /// The scenario's seed.
  uint64_t seed = 0;
  /// One entry per strategy, in the scenario's order.
  std::vector<strategy_result> results;

  /// Runs every strategy of `config` (the herd strategy on the real scheduler when `realtime`).
  static simulation_report run(const herd::scenario& config, bool realtime = false,
                               const progress_fn& progress = {});
  /// One sentence per thing an operator must know about the runs of `config` (which produced
  /// this report): tasks lost, herd's books not reconciled, an outage outlasting the runs (no
  /// drain to measure); empty if none.
  std::vector<std::string> problems(const herd::scenario& config) const;
  /// `{"scenario": NAME, "seed": N, "results": [...]}`; no wall times, so the same seed gives
  /// the same JSON.
  nlohmann::ordered_json to_json() const;
};

} // namespace herd
