#include "herd/simulation/live_run.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "herd/mock_llm/mock_llm_server.hpp"
#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/live_fleet.hpp"
#include "herd/simulation/live_herd.hpp"
#include "herd/simulation/strategy_result.hpp"

namespace herd {

double live_run::wall_limit_s(const scenario& config) {
  return config.duration_s * 5 + 120;
}

mock_llm_profile live_run::mock_profile(const scenario& config) {
  mock_llm_profile p;
  p.capacity_per_s = std::max<int64_t>(1, std::llround(config.capacity_per_s));
  for (auto& o : config.outages)
    p.outages.push_back({std::llround(o.start_s * 1000), std::llround(o.duration_s * 1000)});
  p.latency_min_ms = std::llround(config.latency_mean_ms / 2);
  p.latency_max_ms = std::llround(config.latency_mean_ms * 3 / 2);
  p.error_rate = config.error_rate;
  p.overload_status = config.overload_status;
  if (config.overload_retry_after_s) {
    p.overload_retry_after = mock_llm_profile::retry_after_kind::fixed;
    p.overload_retry_after_s = *config.overload_retry_after_s;
  } else {
    p.overload_retry_after = mock_llm_profile::retry_after_kind::none;
  }
  p.publish_limits = false;
  p.seed = config.seed;
  p.threads = config.agents + 16;
  return p;
}

void live_run::record_server_calls(const nlohmann::json& stats, run_recorder& recorder) {
  for (auto& s : stats.at("per_second")) {
    auto second = s.at("second").get<double>();
    auto requests = s.at("requests").get<int64_t>();
    int64_t ok = 0;
    for (auto& [status, count] : s.at("by_status").items())
      if (status.size() == 3 && status[0] == '2')
        ok += count.get<int64_t>();
    for (int64_t i = 0; i < requests; ++i)
      recorder.on_call(second, i < ok);
  }
}

simulation_report live_run::run(const scenario& config,
                                const simulation_report::progress_fn& progress) {
  if (config.fallback)
    throw std::invalid_argument("--live runs one service: " + config.name +
                                " has a \"fallback\" service (run it in virtual time)");
  simulation_report report;
  report.scenario = config.name;
  report.seed = config.seed;
  arrival_schedule arrivals{config};
  for (auto& strategy : config.strategies) {
    auto wall_start = std::chrono::steady_clock::now();
    auto on_progress = [&](double s) {
      if (progress)
        progress(strategy, s);
    };
    on_progress(0);
    auto recorder = std::make_shared<run_recorder>();
    mock_llm_server mock{mock_profile(config)};
    auto reconciled = true;
    if (scenario::is_herd(strategy)) {
      live_herd herd{config, strategy, arrivals, mock, recorder};
      reconciled = herd.run(wall_limit_s(config), on_progress);
    } else {
      mock.start("127.0.0.1", 0);
      live_fleet fleet{config, strategy, arrivals, mock.url(), recorder};
      fleet.run(wall_limit_s(config), on_progress);
    }
    mock.stop();
    record_server_calls(mock.stats(), *recorder);
    auto result = strategy_result::make(strategy, config, *recorder);
    result.reconciled = reconciled;
    result.wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    report.results.push_back(std::move(result));
  }
  return report;
}

} // namespace herd
