#include "herd/budgets/budget_crossing.hpp"

namespace herd {

std::string to_string(budget_level x) {
  return x == budget_level::soft ? "soft" : "hard";
}

} // namespace herd
