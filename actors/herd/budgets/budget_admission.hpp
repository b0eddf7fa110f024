#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "herd/budgets/budget_period.hpp"

namespace herd {

/// Whether a budget lets new work start, and if not why and until when.
struct budget_admission {
  /// True if new work may start. Default: true.
  bool admitted = true;
  /// The exhausted window that holds the work back longest; meaningful when refused.
  budget_period period = budget_period::day;
  /// When new work may start again (ms since the Unix epoch, UTC): the last reset among the
  /// exhausted hard windows; empty when admitted or when a `total` window is exhausted (never).
  std::optional<int64_t> until_ms;
  /// A sentence for operators, e.g. "the per-day hard budget of 100.00 USD is spent (100.20
  /// USD); resets at 2026-12-02T00:00:00.000Z"; empty when admitted.
  std::string why;
};

} // namespace herd
