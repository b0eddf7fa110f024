#pragma once

#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/mock_llm/mock_llm_profile.hpp"
#include "herd/simulation/run_recorder.hpp"
#include "herd/simulation/scenario.hpp"
#include "herd/simulation/simulation_report.hpp"

namespace herd {

/// `herd simulate SCENARIO --live`: every strategy of the scenario in real time against an
/// in-process `herd mock-llm` on 127.0.0.1 (a fresh one per strategy, configured from the
/// scenario by `mock_profile`), `herd` as `live_herd`, the classic ones as `live_fleet`. The
/// report has the simulation's keys: calls, failed calls, peak calls per second and
/// amplification as the mock's `/stats` counted them (per whole second since the mock's
/// start); arrivals, ends, backlog and latency as the submitters saw them.
class live_run {
public:
  /// Wall seconds a strategy may take at most: `duration_s * 5 + 120` (its unfinished tasks
  /// then show as lost).
  static double wall_limit_s(const scenario& config);

  /// The mock's profile for `config`: its capacity (rounded to whole calls per second, at
  /// least 1), outages, error rate, overload status and Retry-After (the scenario's seconds,
  /// or no header), and a latency uniform in [mean/2, 3*mean/2] ms (the scenario's mean; the
  /// mock has no long tail, so its p99 is 1.49x the mean rather than the scenario's p99). No
  /// published limits (the simulation publishes none); worker threads for every agent's
  /// connection plus the /stats reader.
  static mock_llm_profile mock_profile(const scenario& config);

  /// Adds the calls of a mock's `/stats` answer (`per_second`: second, requests, by_status) to
  /// `recorder`: each second's requests, those not answered 2xx as failed.
  static void record_server_calls(const nlohmann::json& stats, run_recorder& recorder);

  /// Runs every strategy of `config`; `progress` as for the simulation. Throws
  /// std::invalid_argument for a scenario with a fallback service (one mock, one service).
  static simulation_report run(const scenario& config,
                               const simulation_report::progress_fn& progress = {});
};

} // namespace herd
