#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "herd/simulation/simulation_report.hpp"

namespace herd::test {

/// A small, valid scenario: 20 agents, 600 tasks at 30/s against a service of 40/s with a 4 s
/// outage at 5 s; tests change single keys of it.
inline nlohmann::json small_scenario() {
  return nlohmann::json::parse(R"({
    "name": "small",
    "seed": 11,
    "duration_s": 30,
    "agents": 20,
    "workload": { "tasks": 600, "rate_per_s": 30, "kind": "read_only" },
    "service": {
      "capacity_per_s": 40,
      "latency_ms": { "mean": 100, "p99": 800 },
      "outages": [ { "start_s": 5, "duration_s": 4 } ],
      "error_rate": 0.01,
      "overload": { "status": 429, "retry_after_s": null }
    },
    "retry": { "max_attempts": 10, "base_ms": 100, "cap_ms": 20000 },
    "strategies": ["immediate", "exponential", "full_jitter", "equal_jitter",
                   "decorrelated_jitter", "herd"]
  })");
}

/// The result of `strategy` in `report`; throws when the report has none.
inline const herd::strategy_result& result_of(const herd::simulation_report& report,
                                              const std::string& strategy) {
  for (auto& r : report.results)
    if (r.strategy == strategy)
      return r;
  throw std::logic_error("no result for " + strategy);
}

} // namespace herd::test
