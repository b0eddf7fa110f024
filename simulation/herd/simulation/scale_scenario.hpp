#pragma once

#include "herd/simulation/scenario.hpp"

namespace herd {

/// `config` scaled by `factor` for `herd simulate --scale F`, so a scenario fits one machine
/// when it runs live: the agents, the tasks, the arrival rate and the capacity are multiplied
/// (and the fallback service's capacity) by `factor` (agents and tasks rounded, at least 1); every
/// duration (the run, the outages, latencies, backoff base and cap, Retry-After) is kept, so the
/// service sees the same story at a smaller size and the ratios the report compares (peak over
/// capacity, amplification) keep their meaning. The name gains "@xF" unless `factor` is 1. Throws
/// std::invalid_argument unless `factor` is in (0, 1000].
scenario scale_scenario(const scenario& config, double factor);

} // namespace herd
