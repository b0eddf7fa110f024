#pragma once

#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/http/llm_prices.hpp"

namespace herd {

class json_reader;

/// Prices per model, as in {"gpt-4o-mini": {"input_per_million": 0.15, "output_per_million":
/// 0.6}}; each entry is an `llm_prices`.
class price_table {
public:
  /// An empty table.
  price_table() = default;

  /// Sets the prices of `model`.
  void set(const std::string& model, llm_prices prices);
  /// The prices of `model`; null if it has none.
  const llm_prices* find(const std::string& model) const;
  /// True if no model has prices.
  bool empty() const { return by_model_.empty(); }

  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad price or an empty
  /// model name.
  static price_table from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;

private:
  std::map<std::string, llm_prices> by_model_;
};

} // namespace herd
