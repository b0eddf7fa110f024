#pragma once

#include <optional>

#include "herd/budgets/price_table.hpp"
#include "herd/budgets/token_usage.hpp"
#include "herd/http/llm_prices.hpp"

namespace herd {

/// The cost in USD of one call that used `usage`, at `prices` (a service's own prices).
double cost_of(const token_usage& usage, const llm_prices& prices);

/// The cost in USD of one call that used `usage`, at its model's prices in `prices`; empty if
/// the model has no prices (the caller counts it as unpriced rather than free).
std::optional<double> cost_of(const token_usage& usage, const price_table& prices);

} // namespace herd
