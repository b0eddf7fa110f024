#include "herd/simulation/simulation_report.hpp"

#include <sstream>

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
    tick(0); // before the agents are set up, which takes a while in a large fleet
    if (scenario::is_herd(name))
      report.results.push_back(herd_simulation{config, arrivals, realtime, name}.run(tick));
    else
      report.results.push_back(baseline_simulation{config, name, arrivals}.run(tick));
    auto& r = report.results.back();
    log->info("{} {}: {} of {} tasks completed, {} calls, {:.1f} simulated s in {:.2f} wall s",
              config.name, name, r.tasks_completed, r.tasks_submitted, r.calls_total,
              r.completion_time_s, r.wall_s);
  }
  return report;
}

std::vector<std::string> simulation_report::problems(const herd::scenario& config) const {
  std::vector<std::string> result;
  std::string outlasted;
  auto outage_end = config.last_outage_end();
  for (auto& r : results) {
    if (r.tasks_lost != 0)
      result.push_back(r.strategy + ": " + std::to_string(r.tasks_lost) +
                       " tasks lost (neither completed nor dead-lettered when the run stopped)");
    if (!r.reconciled)
      result.push_back(r.strategy + ": not reconciled: herd's own books (the dispatcher's "
                                    "statistics) disagree with what the submitters saw");
    if (outage_end && *outage_end > r.completion_time_s)
      outlasted += (outlasted.empty() ? "" : ", ") + r.strategy;
  }
  if (!outlasted.empty()) {
    std::ostringstream text;
    text << "the service's outage lasts until " << *outage_end << " s, after every task ended ("
         << outlasted << "): a permanent outage, so no drain time is measured";
    result.push_back(text.str());
  }
  return result;
}

nlohmann::ordered_json simulation_report::to_json() const {
  auto entries = nlohmann::ordered_json::array();
  for (auto& r : results)
    entries.push_back(r.to_json());
  return {{"scenario", scenario}, {"seed", seed}, {"results", entries}};
}

} // namespace herd
