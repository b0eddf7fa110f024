#pragma once

#include <cstdint>

#include <nlohmann/json_fwd.hpp>

namespace herd {

class json_reader;

/// What an LLM service's tokens cost, in USD per million tokens, as in a service's
/// `"prices": {"input_per_million": 3.0, "output_per_million": 15.0}`; herd counts the cost of
/// every answer into herd_llm_cost_usd_total.
struct llm_prices {
  /// USD per million input (prompt) tokens. Required in the JSON form.
  double input_per_million = 0;
  /// USD per million output (completion) tokens. Required in the JSON form.
  double output_per_million = 0;

  /// Reads the JSON form; throws `config_error` naming the bad field's JSON path.
  static llm_prices from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
  /// The cost in USD of `input_tokens` and `output_tokens`.
  double cost(int64_t input_tokens, int64_t output_tokens) const;
};

} // namespace herd
