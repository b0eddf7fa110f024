#pragma once

#include <cstdint>
#include <optional>
#include <ostream>

#include "herd/budgets/budget_crossing.hpp"
#include "herd/budgets/budget_limit.hpp"
#include "herd/core/wall_time.hpp"

namespace herd {

/// Prints a period in test logs.
inline std::ostream& boost_test_print_type(std::ostream& out, budget_period x) {
  return out << to_string(x);
}

/// Prints a level in test logs.
inline std::ostream& boost_test_print_type(std::ostream& out, budget_level x) {
  return out << to_string(x);
}

namespace test {

/// Ms since the Unix epoch of an ISO-8601 UTC time such as "2026-12-01T13:45".
inline int64_t utc(const char* iso) {
  return *parse_utc(iso);
}

/// A limit of `period` with `soft` and `hard`.
inline budget_limit limit(budget_period period, std::optional<double> soft,
                          std::optional<double> hard) {
  budget_limit result;
  result.period = period;
  result.soft = soft;
  result.hard = hard;
  return result;
}

} // namespace test

} // namespace herd
