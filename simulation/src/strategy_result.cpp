#include "herd/simulation/strategy_result.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace herd {

namespace {

double percentile_ms(std::vector<double>& xs, double p) {
  if (xs.empty())
    return 0;
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(xs.size()))) - 1;
  rank = std::min(rank, xs.size() - 1);
  std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(rank), xs.end());
  return std::round(xs[rank] * 1e6) / 1e3; // ms, to the microsecond
}

nlohmann::ordered_json optional_json(const std::optional<double>& x) {
  return x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
}

// Rounds to three decimals so reports print the same everywhere.
double rounded(double x) {
  return std::round(x * 1000) / 1000;
}

} // namespace

std::optional<double> strategy_result::drain_minimum(const scenario& config, double excess) {
  auto end = config.last_outage_end();
  if (!end)
    return std::nullopt;
  // Arrivals go on at rate_per_s until the tasks are all in or duration_s is over.
  auto arrivals_end =
      std::min(config.duration_s, static_cast<double>(config.tasks) / config.rate_per_s);
  auto with_arrivals = std::max(0.0, arrivals_end - *end);
  // A call fails with error_rate even when served: the service completes at most this many
  // tasks per second.
  auto completions = config.capacity_per_s * (1 - config.error_rate);
  auto spare = completions - config.rate_per_s;
  if (spare > 0 && excess <= spare * with_arrivals)
    return rounded(excess / spare);
  // The rest drains at the full rate once arrivals stopped (it grew meanwhile if spare < 0).
  return rounded(with_arrivals + (excess - spare * with_arrivals) / completions);
}

strategy_result strategy_result::make(const std::string& strategy, const scenario& config,
                                      const run_recorder& recorder) {
  strategy_result r;
  r.strategy = strategy;
  r.tasks_submitted = recorder.arrived();
  r.tasks_completed = recorder.ended(task_end::completed);
  r.tasks_dead_lettered = recorder.ended(task_end::dead_lettered);
  r.tasks_escalated = recorder.ended(task_end::escalated);
  r.tasks_failed = recorder.ended(task_end::failed);
  r.tasks_lost =
      static_cast<int64_t>(r.tasks_submitted) - static_cast<int64_t>(recorder.ended_total());
  r.calls_total = recorder.calls();
  r.calls_failed = recorder.failed_calls();
  r.amplification =
      r.tasks_submitted == 0
          ? 0
          : rounded(static_cast<double>(r.calls_total) / static_cast<double>(r.tasks_submitted));
  r.series = recorder.series();
  for (auto& s : r.series)
    r.peak_calls_per_s = std::max(r.peak_calls_per_s, s.calls);
  r.peak_over_capacity = rounded(static_cast<double>(r.peak_calls_per_s) / config.capacity_per_s);
  if (auto end = config.last_outage_end(); end && !r.series.empty()) {
    // The level before: the highest backlog of the 10 seconds before the first outage.
    auto start = static_cast<size_t>(std::floor(config.outages.front().start_s));
    uint64_t level = 0;
    for (auto s = start >= 10 ? start - 10 : 0; s < start && s < r.series.size(); ++s)
      level = std::max(level, r.series[s].backlog);
    auto first = static_cast<size_t>(std::ceil(*end));
    if (first > 0 && first - 1 < r.series.size()) {
      auto excess = static_cast<double>(r.series[first - 1].backlog) - static_cast<double>(level);
      r.drain_minimum_s = drain_minimum(config, std::max(0.0, excess));
    }
    for (auto s = first > 0 ? first - 1 : 0; s < r.series.size(); ++s)
      if (r.series[s].backlog <= level) {
        r.drain_time_s = rounded(static_cast<double>(s + 1) - *end);
        break;
      }
  }
  r.completion_time_s = rounded(recorder.last_end());
  auto latencies = recorder.latencies();
  r.latency_p50_ms = percentile_ms(latencies, 0.5);
  r.latency_p99_ms = percentile_ms(latencies, 0.99);
  for (auto& [tier, n] : recorder.served())
    r.served_by[tier.empty() ? scenario::service_name : tier] += n;
  if (config.fallback)
    r.fallback_calls = 0;
  return r;
}

nlohmann::ordered_json strategy_result::to_json() const {
  nlohmann::ordered_json result = {
      {"strategy", strategy},
      {"tasks_submitted", tasks_submitted},
      {"tasks_completed", tasks_completed},
      {"tasks_dead_lettered", tasks_dead_lettered},
      {"tasks_escalated", tasks_escalated},
      {"tasks_failed", tasks_failed},
      {"tasks_lost", tasks_lost},
      {"reconciled", reconciled},
      {"calls_total", calls_total},
      {"calls_failed", calls_failed},
      {"amplification", amplification},
      {"peak_calls_per_s", peak_calls_per_s},
      {"peak_over_capacity", peak_over_capacity},
      {"drain_time_s", optional_json(drain_time_s)},
      {"drain_minimum_s", optional_json(drain_minimum_s)},
      {"completion_time_s", completion_time_s},
      {"latency_ms", {{"p50", latency_p50_ms}, {"p99", latency_p99_ms}}}};
  if (fallback_calls) {
    result["served_by"] = served_by;
    result["fallback_calls"] = *fallback_calls;
  }
  return result;
}

} // namespace herd
