#include "herd/budgets/budget_window.hpp"

#include <algorithm>
#include <utility>

namespace herd {

budget_window::budget_window(budget_limit limit) : limit_(std::move(limit)) {}

bool budget_window::past_window(int64_t now_ms) const {
  auto length = period_length_ms(limit_.period);
  return length && now_ms >= window_start_ms_ + *length;
}

void budget_window::roll(int64_t now_ms) {
  if (!past_window(now_ms))
    return;
  window_start_ms_ = period_start_ms(limit_.period, now_ms);
  spent_ = 0;
  soft_reported_ = false;
  hard_reported_ = false;
}

std::vector<budget_crossing> budget_window::spend(double usd, int64_t now_ms) {
  roll(now_ms);
  spent_ += std::max(usd, 0.0);
  std::vector<budget_crossing> result;
  auto reached = [&](const std::optional<double>& limit, bool& reported, budget_level level) {
    if (!limit || reported || spent_ < *limit)
      return;
    reported = true;
    result.push_back({limit_.period, level, *limit, spent_, resets_at(now_ms)});
  };
  reached(limit_.soft, soft_reported_, budget_level::soft);
  reached(limit_.hard, hard_reported_, budget_level::hard);
  return result;
}

double budget_window::spent(int64_t now_ms) const {
  return past_window(now_ms) ? 0 : spent_;
}

std::optional<double> budget_window::remaining(int64_t now_ms) const {
  if (!limit_.hard)
    return std::nullopt;
  return std::max(*limit_.hard - spent(now_ms), 0.0);
}

bool budget_window::exhausted(int64_t now_ms) const {
  return limit_.hard && spent(now_ms) >= *limit_.hard;
}

std::optional<int64_t> budget_window::resets_at(int64_t now_ms) const {
  auto length = period_length_ms(limit_.period);
  if (!length)
    return std::nullopt;
  auto start = past_window(now_ms) ? period_start_ms(limit_.period, now_ms) : window_start_ms_;
  return start + *length;
}

} // namespace herd
