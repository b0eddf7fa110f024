#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/history/history_store.hpp"
#include "herd/history/recovery_interval.hpp"
#include "herd/history/settled_task.hpp"

namespace herd {

/// The SLA figures of a task history since a time: per task kind and overall, and mean time to
/// recovery of breakers and agents.
///
/// Definitions. "Settled" counts the tasks that ended with an outcome: completed, failed,
/// dead-lettered or escalated; tasks handed back at a shutdown are counted apart and are in no
/// rate. success rate = completed / settled (after retries); escalation rate = escalated /
/// settled; dead-letter rate = dead_lettered / settled; retried share = settled tasks that took
/// more than one attempt / settled; success after retry = completed of those / those. Durations
/// (accepted -> terminal state) of the settled tasks give p50/p95/p99 by nearest rank. MTTR is
/// the mean of the recovery intervals that ended since the time. A rate or duration without
/// tasks is null in JSON and "-" in Markdown.
class sla_report {
public:
  /// The figures of a set of tasks.
  struct task_figures {
    /// Every task in the set, handed back ones included. Default: 0.
    int64_t tasks = 0;
    /// Completed tasks. Default: 0.
    int64_t completed = 0;
    /// Failed tasks (no policy retried them, no dead-letter queue). Default: 0.
    int64_t failed = 0;
    /// Dead-lettered tasks. Default: 0.
    int64_t dead_lettered = 0;
    /// Escalated tasks. Default: 0.
    int64_t escalated = 0;
    /// Tasks handed back unfinished at a shutdown. Default: 0.
    int64_t handed_back = 0;
    /// Settled tasks that took more than one attempt. Default: 0.
    int64_t retried = 0;
    /// Of those, the completed ones. Default: 0.
    int64_t retried_completed = 0;
    /// Durations of the settled tasks in ms, sorted once `finish()` ran.
    std::vector<int64_t> durations_ms;

    /// completed + failed + dead_lettered + escalated.
    int64_t settled() const { return completed + failed + dead_lettered + escalated; }
    /// Counts `t` in.
    void add(const settled_task& t);
    /// Sorts the durations.
    void finish();
    /// The duration at quantile `q` (0 < q <= 1) by nearest rank; none without settled tasks.
    std::optional<int64_t> percentile_ms(double q) const;
    /// The JSON form: counts, rates ("success_rate", "escalation_rate", "dead_letter_rate",
    /// "retried_share", "success_after_retry") and "p50_ms", "p95_ms", "p99_ms".
    nlohmann::json to_json() const;
  };

  /// The recoveries of one subject type.
  struct recovery_figures {
    /// Recoveries. Default: 0.
    int64_t recoveries = 0;
    /// Sum of their durations in ms. Default: 0.
    int64_t total_ms = 0;
    /// The longest in ms. Default: 0.
    int64_t max_ms = 0;

    /// The mean time to recovery in ms; none without recoveries.
    std::optional<double> mttr_ms() const;
    /// The JSON form: {"recoveries", "mttr_ms", "max_ms"}.
    nlohmann::json to_json() const;
  };

  /// The report of `tasks` and `recoveries` since `since_ms` (0: everything), made at
  /// `generated_ms` (both wall-clock UTC epoch ms); rows before `since_ms` are left out.
  sla_report(const std::vector<settled_task>& tasks,
             const std::vector<recovery_interval>& recoveries, int64_t since_ms,
             int64_t generated_ms);

  /// The report of what `store` holds since `since_ms`, made at `now_ms`.
  static sla_report of(const history_store& store, int64_t since_ms, int64_t now_ms);

  /// Parses a `--since` or `?since=` value: an age before `now_ms` ("45s", "30m", "24h", "7d")
  /// or an ISO-8601 UTC time ("2026-11-30T18:00:00Z"); empty if it is neither. An age
  /// reaching before the epoch gives 0.
  static std::optional<int64_t> parse_since(std::string_view text, int64_t now_ms);
  /// What `parse_since` accepts, for error messages.
  static const char* since_formats();

  // -- properties -----------------------------------------------------------------------------

  /// Every task.
  const task_figures& overall() const { return overall_; }
  /// By task kind.
  const std::map<std::string, task_figures>& kinds() const { return kinds_; }
  /// Breakers: open (or forced open) -> closed.
  const recovery_figures& breakers() const { return breakers_; }
  /// Agents: down -> healthy.
  const recovery_figures& agents() const { return agents_; }

  /// The JSON form: {"generated_at", "since" (ISO-8601 UTC or null), "since_ms", "overall",
  /// "kinds": {KIND: ...}, "recovery": {"breakers", "agents"}}.
  nlohmann::json to_json() const;
  /// Markdown: a table of the kinds and the overall line, and one of the recoveries.
  std::string to_markdown() const;

private:
  int64_t since_ms_;
  int64_t generated_ms_;
  task_figures overall_;
  std::map<std::string, task_figures> kinds_;
  recovery_figures breakers_;
  recovery_figures agents_;
};

} // namespace herd
