#include "herd/simulation/arrival_schedule.hpp"

#include <random>

namespace herd {

arrival_schedule::arrival_schedule(const scenario& config) {
  // A stream of its own (seed mixed with a constant), so the service's draws do not shift it.
  std::mt19937_64 rng{config.seed ^ 0x9e3779b97f4a7c15ULL};
  std::exponential_distribution<double> gap{config.rate_per_s};
  times_.reserve(static_cast<size_t>(config.tasks));
  double t = 0;
  for (int64_t i = 0; i < config.tasks; ++i) {
    t += gap(rng);
    if (t >= config.duration_s)
      break;
    times_.push_back(t);
  }
}

} // namespace herd
