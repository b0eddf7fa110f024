#include "herd/budgets/cost_of.hpp"

namespace herd {

double cost_of(const token_usage& usage, const llm_prices& prices) {
  return prices.cost(usage.input_tokens, usage.output_tokens);
}

std::optional<double> cost_of(const token_usage& usage, const price_table& prices) {
  const auto* found = prices.find(usage.model);
  if (found == nullptr)
    return std::nullopt;
  return cost_of(usage, *found);
}

} // namespace herd
