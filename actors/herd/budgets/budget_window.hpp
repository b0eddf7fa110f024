#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "herd/budgets/budget_crossing.hpp"
#include "herd/budgets/budget_limit.hpp"

namespace herd {

/// A spend limit over one window aligned to wall-clock UTC (see `budget_period`). Times are
/// given, in ms since the Unix epoch (UTC): the class reads no clock. Every call first moves
/// to the window that holds `now`, so a window resets on time however long nothing was spent
/// (the budget that never resets is LiteLLM's bug); a `now` earlier than the current window
/// (the wall clock stepped back) counts in the current window. Spending is always recorded —
/// the money is gone — and each limit is reported once per window, when first reached.
class budget_window {
public:
  /// A window with `limit`, nothing spent.
  explicit budget_window(budget_limit limit);

  /// Records `usd` spent at `now_ms` (negative counts as 0); returns the limits it reached
  /// for the first time in this window (none, soft, hard or both, soft first).
  std::vector<budget_crossing> spend(double usd, int64_t now_ms);

  /// USD spent in the window that holds `now_ms` (0 once that window has reset).
  double spent(int64_t now_ms) const;
  /// USD left before the hard limit at `now_ms` (0 when reached); empty without a hard limit.
  std::optional<double> remaining(int64_t now_ms) const;
  /// True if the hard limit is reached in the window that holds `now_ms`.
  bool exhausted(int64_t now_ms) const;
  /// When the window that holds `now_ms` ends (ms since the Unix epoch, UTC); empty for
  /// `total` (never).
  std::optional<int64_t> resets_at(int64_t now_ms) const;

  /// The limits.
  const budget_limit& limit() const { return limit_; }

private:
  /// True if `now_ms` is past the current window.
  bool past_window(int64_t now_ms) const;
  /// Starts the window that holds `now_ms` if the current one is over.
  void roll(int64_t now_ms);

  budget_limit limit_;
  int64_t window_start_ms_ = 0;
  double spent_ = 0;
  bool soft_reported_ = false;
  bool hard_reported_ = false;
};

} // namespace herd
