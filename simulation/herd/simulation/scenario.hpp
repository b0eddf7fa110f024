#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/degradation/fallback_chain.hpp"

namespace herd {

class json_reader;

/// A thundering-herd scenario: a fleet of agents, a workload, a downstream service that fails
/// and recovers, optionally a second service the task kind falls back to (issue #15), the retry
/// settings and the strategies to compare. Read from the JSON form of issue #7; every key is
/// required unless marked optional and unknown keys are errors naming their JSON path.
struct scenario {
  /// A window in which every call fails with 503.
  struct outage {
    /// Seconds after the start. Default: 0.
    double start_s = 0;
    /// How long it lasts, seconds. Default: 0.
    double duration_s = 0;
  };

  /// A second service and the fallback chain of the task kind (JSON "fallback", optional):
  /// {"name": "fallback", "service": {the keys of "service"}, "chain": CHAIN}. `name` is
  /// optional (default "fallback"); `chain` is optional (default: the primary, then this
  /// service; the `fallback_chain` JSON form, tiers naming `service_name` and `name`).
  struct fallback_service {
    /// The service's name in chains and reports. Default: "fallback".
    std::string name = "fallback";
    /// How it behaves: the scenario as this service sees it, i.e. this scenario with the keys
    /// of "fallback/service" in place of those of "service". Never null once read.
    std::shared_ptr<const scenario> behaviour;
    /// The chain of the task kind when a strategy uses one (`with_chain`). Default: the
    /// primary, then this service, with the chain's defaults.
    fallback_chain chain;
  };

  /// The primary service's name in chains and reports: "service".
  static constexpr const char* service_name = "service";

  /// Agents at most when the herd strategy runs: each is a supervised actor (about 7 kB; 50000
  /// run in 2 s, 200000 in 17 s and 1.4 GB on a 2-core machine).
  static constexpr int64_t max_herd_agents = 200000;

  /// The scenario's name, used in reports and file names.
  std::string name;
  /// Seed of arrivals, latencies, errors and jitter; the same seed gives the same report.
  uint64_t seed = 1;
  /// Simulated seconds of arrivals at most (runs go on until every task ended). Default: 600.
  double duration_s = 600;
  /// Agents in the fleet, at most 1000000 (`max_herd_agents` with the herd strategy).
  /// Default: 1000.
  int64_t agents = 1000;
  /// Tasks submitted in all (fewer if `duration_s` ends the arrivals first). Default: 100000.
  int64_t tasks = 100000;
  /// Poisson arrival rate, tasks per second. Default: 400.
  double rate_per_s = 400;
  /// The task kind (selects herd's failure policy preset). Default: "read_only".
  std::string kind = "read_only";
  /// Calls per second the service serves; more in one second are rejected. Default: 500.
  double capacity_per_s = 500;
  /// Mean call latency, ms. Default: 100.
  double latency_mean_ms = 100;
  /// 99th percentile call latency, ms (at least the mean, at most 14.9x it). Default: 800.
  double latency_p99_ms = 800;
  /// Outage windows. Default: none.
  std::vector<outage> outages;
  /// Share of calls that fail with 500 outside outages and overload. Default: 0.
  double error_rate = 0;
  /// Status of an overload rejection: 429 or 503. Default: 429.
  int32_t overload_status = 429;
  /// Retry-After of an overload rejection, seconds; none = no header. Default: none.
  std::optional<double> overload_retry_after_s;
  /// The fallback service and chain. Default: none.
  std::optional<fallback_service> fallback;
  /// Attempts per task, the first included. Default: 10.
  int32_t max_attempts = 10;
  /// Backoff base, ms. Default: 100.
  double base_ms = 100;
  /// Backoff cap, ms. Default: 20000.
  double cap_ms = 20000;
  /// Strategies to run, in order.
  std::vector<std::string> strategies;

  /// Every strategy name: immediate, exponential, full_jitter, equal_jitter,
  /// decorrelated_jitter, herd, herd_blind, with_chain, without_chain.
  static const std::vector<std::string>& strategy_names();
  /// True for the strategies that run herd's runtime: "herd" (told the service's capacity, as
  /// a configured rate limit), "herd_blind" (told nothing; its admission control learns),
  /// "with_chain" (like herd, with the fallback chain for the task kind) and "without_chain"
  /// (like herd: both services, no chain).
  static bool is_herd(const std::string& strategy);
  /// True for the strategy that configures the scenario's fallback chain: "with_chain".
  static bool uses_chain(const std::string& strategy);
  /// True if `strategies` names a strategy that runs herd's runtime.
  bool runs_herd() const;

  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field.
  static scenario from_json(const json_reader& in);
  /// Reads a scenario file; throws `config_error`.
  static scenario load(const std::string& file);
  /// The JSON form (the format it is read from).
  nlohmann::json to_json() const;

  /// The end of the last outage, seconds; none without outages.
  std::optional<double> last_outage_end() const;
  /// True if the service is in an outage at `t_s` seconds.
  bool in_outage(double t_s) const;
};

} // namespace herd
