#include "herd/http/llm_prices.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

/// The highest price accepted, in USD per million tokens: a typo guard.
constexpr double max_price = 1e6;

} // namespace

llm_prices llm_prices::from_json(const json_reader& in) {
  in.only_keys({"input_per_million", "output_per_million"});
  llm_prices result;
  for (auto key : {"input_per_million", "output_per_million"})
    if (!in.has(key))
      in.fail(key, "a price in USD per million tokens");
  result.input_per_million = in.number("input_per_million", 0, 0, max_price);
  result.output_per_million = in.number("output_per_million", 0, 0, max_price);
  return result;
}

nlohmann::json llm_prices::to_json() const {
  return {{"input_per_million", input_per_million}, {"output_per_million", output_per_million}};
}

double llm_prices::cost(int64_t input_tokens, int64_t output_tokens) const {
  return (static_cast<double>(input_tokens) * input_per_million +
          static_cast<double>(output_tokens) * output_per_million) /
         1e6;
}

} // namespace herd
