#include "herd/budgets/budget_period.hpp"

namespace herd {

std::string to_string(budget_period x) {
  switch (x) {
  case budget_period::minute:
    return "minute";
  case budget_period::hour:
    return "hour";
  case budget_period::day:
    return "day";
  case budget_period::total:
    return "total";
  }
  return "unknown";
}

std::optional<int64_t> period_length_ms(budget_period x) {
  constexpr int64_t minute_ms = 60'000;
  switch (x) {
  case budget_period::minute:
    return minute_ms;
  case budget_period::hour:
    return 60 * minute_ms;
  case budget_period::day:
    return 24 * 60 * minute_ms;
  case budget_period::total:
    break;
  }
  return std::nullopt;
}

int64_t period_start_ms(budget_period period, int64_t now_ms) {
  auto length = period_length_ms(period);
  if (!length)
    return 0;
  // Unix time has no leap seconds, so UTC boundaries are multiples of the length; floor
  // division keeps times before the epoch in the right window.
  auto start = now_ms / *length * *length;
  return start > now_ms ? start - *length : start;
}

} // namespace herd
