#pragma once

#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "herd/budgets/budget_period.hpp"

namespace herd {

class json_reader;

/// The limits of one budget window in USD, as in `"per_day": {"soft": 50, "hard": 100}`:
/// crossing `soft` is reported once per window (an alert), reaching `hard` refuses new work until
/// the window resets. At least one of the two is given; each is > 0 and soft <= hard.
struct budget_limit {
  /// The window the limits count over. Default: day.
  budget_period period = budget_period::day;
  /// Spending at or above this is reported once per window; empty = no soft limit (default).
  std::optional<double> soft;
  /// Spending at or above this refuses new work until the window resets; empty = no hard
  /// limit (default).
  std::optional<double> hard;

  /// Reads {"soft"?, "hard"?} for a window of `period`; throws `config_error` naming the JSON
  /// path of a negative or zero amount, soft > hard, an unknown key or an empty window.
  static budget_limit from_json(const json_reader& in, budget_period period);
  /// The JSON form {"soft"?, "hard"?} (the period is the key it is stored under).
  nlohmann::json to_json() const;
};

} // namespace herd
