#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/budgets/budget_limit.hpp"
#include "herd/budgets/price_table.hpp"

namespace herd {

class json_reader;

/// The `"budgets"` key, amounts in USD:
/// {"runtime": {"per_minute"?, "per_hour"?, "per_day"?}, "pools": {"NAME": {same}},
///  "task": {"soft"?, "hard"?}, "prices": {"MODEL": {"input_per_million", "output_per_million"}}}.
/// Each window is {"soft"?, "hard"?} (see `budget_limit`); the task's limits count over its whole
/// life. Every part is optional; nothing configured = no budgets.
struct budget_config {
  /// The whole runtime's windows. Default: none.
  std::vector<budget_limit> runtime;
  /// Each pool's windows, by pool name. Default: none.
  std::map<std::string, std::vector<budget_limit>> pools;
  /// Each task's own limit over its life (period `total`). Default: none.
  std::optional<budget_limit> task;
  /// Prices of models that services' own `"prices"` do not cover. Default: empty.
  price_table prices;

  /// Reads the JSON form; throws `config_error` naming the JSON path of a negative or zero
  /// amount, soft > hard, an unknown window, an empty pool name or an unknown key.
  static budget_config from_json(const json_reader& in);
  /// The JSON form (what `from_json` reads back to the same config).
  nlohmann::json to_json() const;
  /// True if no budget is configured.
  bool empty() const;
};

} // namespace herd
