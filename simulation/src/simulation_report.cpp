#include "herd/simulation/simulation_report.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/logging.hpp"
#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/baseline_simulation.hpp"
#include "herd/simulation/herd_simulation.hpp"

namespace herd {

simulation_report simulation_report::run(const herd::scenario& config, bool realtime,
                                         const progress_fn& progress) {
  simulation_report report;
  report.scenario = config.name;
  report.seed = config.seed;
  arrival_schedule arrivals{config};
  auto log = component_logger("simulation");
  for (auto& name : config.strategies) {
    auto tick = [&](double sim_s) {
      if (progress)
        progress(name, sim_s);
    };
    if (name == "herd")
      report.results.push_back(herd_simulation{config, arrivals, realtime}.run(tick));
    else
      report.results.push_back(baseline_simulation{config, name, arrivals}.run(tick));
    auto& r = report.results.back();
    log->info("{} {}: {} of {} tasks completed, {} calls, {:.1f} simulated s in {:.2f} wall s",
              config.name, name, r.tasks_completed, r.tasks_submitted, r.calls_total,
              r.completion_time_s, r.wall_s);
  }
  return report;
}

nlohmann::ordered_json simulation_report::to_json() const {
  auto entries = nlohmann::ordered_json::array();
  for (auto& r : results)
    entries.push_back(r.to_json());
  return {{"scenario", scenario}, {"seed", seed}, {"results", entries}};
}

} // namespace herd
