#pragma once

#include <vector>

#include "herd/budgets/budget_crossing.hpp"

namespace herd {

/// What one charge to a `cost_budget` reached: the limits crossed for the first time in their
/// windows, soft before hard, shortest window first. Empty when nothing was reached.
struct budget_charge {
  /// The limits reached by this charge.
  std::vector<budget_crossing> crossings;

  /// True if a hard limit was reached (new work is now refused; a task's own budget ends it).
  bool reached_hard() const;
  /// True if a soft limit was reached (alert).
  bool reached_soft() const;
  /// True if nothing was reached.
  bool empty() const { return crossings.empty(); }
};

} // namespace herd
