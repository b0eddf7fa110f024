#include "herd/budgets/budget_limit.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

/// The highest amount accepted, in USD: a typo guard.
constexpr double max_amount = 1e9;

std::optional<double> read_amount(const json_reader& in, const char* key) {
  if (!in.has(key))
    return std::nullopt;
  auto amount = in.number(key, 0, 0, max_amount);
  if (amount <= 0)
    in.fail(key, "an amount in USD > 0 (leave the limit out for none)");
  return amount;
}

} // namespace

budget_limit budget_limit::from_json(const json_reader& in, budget_period period) {
  in.only_keys({"soft", "hard"});
  budget_limit result;
  result.period = period;
  result.soft = read_amount(in, "soft");
  result.hard = read_amount(in, "hard");
  if (!result.soft && !result.hard)
    in.fail("a \"soft\" or \"hard\" limit in USD");
  if (result.soft && result.hard && *result.soft > *result.hard)
    in.fail("soft", "a soft limit <= the hard limit (" + nlohmann::json(*result.hard).dump() + ")");
  return result;
}

nlohmann::json budget_limit::to_json() const {
  auto result = nlohmann::json::object();
  if (soft)
    result["soft"] = *soft;
  if (hard)
    result["hard"] = *hard;
  return result;
}

} // namespace herd
