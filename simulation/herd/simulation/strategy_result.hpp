#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/simulation/run_recorder.hpp"
#include "herd/simulation/scenario.hpp"

namespace herd {

/// What one strategy did in a scenario: the report entry of issue #7 and the per-second series.
struct strategy_result {
  /// The strategy's name.
  std::string strategy;
  /// Tasks that arrived.
  uint64_t tasks_submitted = 0;
  /// Tasks that succeeded.
  uint64_t tasks_completed = 0;
  /// Tasks in the dead-letter queue.
  uint64_t tasks_dead_lettered = 0;
  /// Tasks escalated to a human.
  uint64_t tasks_escalated = 0;
  /// Tasks that ended otherwise (refused, failed without a queue).
  uint64_t tasks_failed = 0;
  /// Submitted minus every terminal state; 0 unless a task vanished.
  int64_t tasks_lost = 0;
  /// Calls that reached the service.
  uint64_t calls_total = 0;
  /// Of those, calls that failed.
  uint64_t calls_failed = 0;
  /// calls_total / tasks_submitted.
  double amplification = 0;
  /// Calls in the busiest one-second window.
  uint64_t peak_calls_per_s = 0;
  /// peak_calls_per_s / capacity_per_s.
  double peak_over_capacity = 0;
  /// Seconds from the end of the last outage until the backlog is back at its level before the
  /// first outage; none without outages.
  std::optional<double> drain_time_s;
  /// The physical minimum of that (`drain_minimum`); none without outages.
  std::optional<double> drain_minimum_s;
  /// When the last task ended, seconds after the start.
  double completion_time_s = 0;
  /// Median arrival-to-completion time of completed tasks, ms.
  double latency_p50_ms = 0;
  /// 99th percentile of it, ms.
  double latency_p99_ms = 0;
  /// Completed tasks by the tier that served them (the primary `scenario::service_name` when
  /// none was named: no chain, or a classic strategy).
  std::map<std::string, uint64_t> served_by;
  /// Calls that reached the fallback service; none when the scenario has no fallback (then
  /// neither this nor `served_by` is in the JSON report).
  std::optional<uint64_t> fallback_calls;
  /// True if herd's own accounting (the dispatcher's statistics) agrees with the submitters'
  /// view: every task accepted once, as many completed and dead-lettered, none pending. Always
  /// true for the classic strategies, which keep no other books.
  bool reconciled = true;
  /// Per-second series of the run.
  std::vector<run_recorder::second> series;
  /// Wall-clock seconds the run took (not part of the JSON report: it varies).
  double wall_s = 0;

  /// The least time serving at `capacity_per_s` can take to work off `excess` tasks of backlog
  /// left at the end of the last outage, where a served call completes its task with
  /// probability 1 - error_rate: at the spare rate (capacity * (1 - error_rate) - rate) while
  /// arrivals go on (until min(duration_s, tasks / rate_per_s)), at the full rate after they
  /// stopped; none without outages.
  static std::optional<double> drain_minimum(const scenario& config, double excess);
  /// Summarizes a finished run of `strategy` in `config`.
  static strategy_result make(const std::string& strategy, const scenario& config,
                              const run_recorder& recorder);
  /// The report entry (every key of issue #7, `latency_ms` as {"p50", "p99"}; with a fallback
  /// service also "served_by" {TIER: COUNT} and "fallback_calls").
  nlohmann::ordered_json to_json() const;
};

} // namespace herd
