#include "herd/budgets/cost_budget.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "herd/core/wall_time.hpp"

namespace herd {

namespace {

std::string usd(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string window_name(budget_period x) {
  return x == budget_period::total ? "total" : "per-" + to_string(x);
}

} // namespace

cost_budget::cost_budget(const std::vector<budget_limit>& limits) {
  windows_.reserve(limits.size());
  for (const auto& limit : limits)
    windows_.emplace_back(limit);
}

budget_admission cost_budget::admit(int64_t now_ms) const {
  // Work may start again only once every exhausted window has reset: the refusal names the
  // one that resets last (a `total` window never does).
  const budget_window* blocking = nullptr;
  std::optional<int64_t> until;
  for (const auto& w : windows_) {
    if (!w.exhausted(now_ms))
      continue;
    auto reset = w.resets_at(now_ms);
    if (!reset) {
      blocking = &w;
      until.reset();
      break;
    }
    if (blocking == nullptr || *reset > *until) {
      blocking = &w;
      until = reset;
    }
  }
  budget_admission result;
  if (blocking == nullptr)
    return result;
  result.admitted = false;
  result.period = blocking->limit().period;
  result.until_ms = until;
  result.why = "the " + window_name(result.period) + " hard budget of " +
               usd(*blocking->limit().hard) + " USD is spent (" + usd(blocking->spent(now_ms)) +
               " USD); " +
               (result.until_ms ? "resets at " + format_utc(*result.until_ms) : "never resets");
  return result;
}

budget_charge cost_budget::charge(double usd_amount, int64_t now_ms) {
  budget_charge result;
  for (auto& w : windows_)
    for (auto& x : w.spend(usd_amount, now_ms))
      result.crossings.push_back(x);
  // Soft before hard, shortest window first: the order events are raised in.
  std::stable_sort(result.crossings.begin(), result.crossings.end(),
                   [](const budget_crossing& a, const budget_crossing& b) {
                     if (a.level != b.level)
                       return a.level < b.level;
                     return a.period < b.period;
                   });
  return result;
}

} // namespace herd
