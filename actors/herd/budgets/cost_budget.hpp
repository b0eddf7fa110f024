#pragma once

#include <cstdint>
#include <vector>

#include "herd/budgets/budget_admission.hpp"
#include "herd/budgets/budget_charge.hpp"
#include "herd/budgets/budget_limit.hpp"
#include "herd/budgets/budget_window.hpp"

namespace herd {

/// The budget of one subject (a task, a pool or the whole runtime): one `budget_window` per
/// configured limit, all charged together. `admit` refuses new work while any hard limit is
/// reached; `charge` records a cost and reports what it reached. Times are ms since the Unix
/// epoch (UTC), given by the caller.
class cost_budget {
public:
  /// A budget with one window per entry of `limits` (none = unlimited; admits everything).
  explicit cost_budget(const std::vector<budget_limit>& limits);

  /// Whether new work may start at `now_ms`; if not, which window refuses, until when (the
  /// last reset among the exhausted hard windows, when all of them have reset) and why.
  budget_admission admit(int64_t now_ms) const;
  /// Records `usd` spent at `now_ms` in every window; returns the limits it reached.
  budget_charge charge(double usd, int64_t now_ms);

  /// The windows, in the order of the limits given.
  const std::vector<budget_window>& windows() const { return windows_; }

private:
  std::vector<budget_window> windows_;
};

} // namespace herd
