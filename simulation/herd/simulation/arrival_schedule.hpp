#pragma once

#include <cstdint>
#include <vector>

#include "herd/simulation/scenario.hpp"

namespace herd {

/// The arrival times of a scenario's tasks: a Poisson process at `rate_per_s` from a generator
/// seeded with the scenario's seed, `tasks` of them or as many as arrive within `duration_s`.
/// Every strategy of a run gets the same schedule.
class arrival_schedule {
public:
  /// The schedule of `config`.
  explicit arrival_schedule(const scenario& config);

  /// Seconds after the start of each arrival, ascending.
  const std::vector<double>& times() const { return times_; }
  /// The number of tasks.
  size_t size() const { return times_.size(); }

private:
  std::vector<double> times_;
};

} // namespace herd
