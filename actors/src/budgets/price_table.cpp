#include "herd/budgets/price_table.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

void price_table::set(const std::string& model, llm_prices prices) {
  by_model_[model] = prices;
}

const llm_prices* price_table::find(const std::string& model) const {
  auto i = by_model_.find(model);
  return i == by_model_.end() ? nullptr : &i->second;
}

price_table price_table::from_json(const json_reader& in) {
  price_table result;
  for (const auto& model : in.keys()) {
    if (model.empty())
      in.fail(model, "a model name, not \"\"");
    result.set(model, llm_prices::from_json(in.at(model)));
  }
  return result;
}

nlohmann::json price_table::to_json() const {
  auto result = nlohmann::json::object();
  for (const auto& [model, prices] : by_model_)
    result[model] = prices.to_json();
  return result;
}

} // namespace herd
