#include "herd/budgets/budget_charge.hpp"

#include <algorithm>

namespace herd {

namespace {

bool reached(const std::vector<budget_crossing>& xs, budget_level level) {
  return std::any_of(xs.begin(), xs.end(),
                     [level](const budget_crossing& x) { return x.level == level; });
}

} // namespace

bool budget_charge::reached_hard() const {
  return reached(crossings, budget_level::hard);
}

bool budget_charge::reached_soft() const {
  return reached(crossings, budget_level::soft);
}

} // namespace herd
