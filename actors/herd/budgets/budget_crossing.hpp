#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "herd/budgets/budget_period.hpp"

namespace herd {

/// Which limit of a budget window a charge reached.
enum class budget_level : uint8_t {
  /// The soft limit: alert, keep going.
  soft,
  /// The hard limit: new work is refused until the window resets.
  hard,
};

/// The level's name: "soft" or "hard".
std::string to_string(budget_level x);

/// One limit a charge reached, reported once per window: what the caller turns into an event
/// and a metric.
struct budget_crossing {
  /// The window whose limit was reached.
  budget_period period = budget_period::day;
  /// Which limit.
  budget_level level = budget_level::soft;
  /// The limit in USD.
  double limit = 0;
  /// What the window had spent after the charge, in USD.
  double spent = 0;
  /// When the window resets (ms since the Unix epoch, UTC); empty for `total` (never).
  std::optional<int64_t> resets_at_ms;
};

} // namespace herd
