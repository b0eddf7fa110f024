#include "herd/budgets/budget_config.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

/// The window keys of a runtime's or pool's budget and their periods.
constexpr std::pair<const char*, budget_period> window_keys[] = {
    {"per_minute", budget_period::minute},
    {"per_hour", budget_period::hour},
    {"per_day", budget_period::day},
};

std::vector<budget_limit> read_windows(const json_reader& in) {
  in.only_keys({"per_minute", "per_hour", "per_day"});
  std::vector<budget_limit> result;
  for (const auto& [key, period] : window_keys)
    if (in.has(key))
      result.push_back(budget_limit::from_json(in.at(key), period));
  return result;
}

nlohmann::json windows_json(const std::vector<budget_limit>& limits) {
  auto result = nlohmann::json::object();
  for (const auto& limit : limits)
    for (const auto& [key, period] : window_keys)
      if (limit.period == period)
        result[key] = limit.to_json();
  return result;
}

} // namespace

budget_config budget_config::from_json(const json_reader& in) {
  in.only_keys({"runtime", "pools", "task", "prices"});
  budget_config result;
  if (in.has("runtime"))
    result.runtime = read_windows(in.at("runtime"));
  if (in.has("pools")) {
    auto pools = in.at("pools");
    for (const auto& name : pools.keys()) {
      if (name.empty())
        pools.fail(name, "a pool name, not \"\"");
      result.pools[name] = read_windows(pools.at(name));
    }
  }
  if (in.has("task"))
    result.task = budget_limit::from_json(in.at("task"), budget_period::total);
  if (in.has("prices"))
    result.prices = price_table::from_json(in.at("prices"));
  return result;
}

nlohmann::json budget_config::to_json() const {
  auto result = nlohmann::json::object();
  if (!runtime.empty())
    result["runtime"] = windows_json(runtime);
  if (!pools.empty()) {
    auto& out = result["pools"] = nlohmann::json::object();
    for (const auto& [name, limits] : pools)
      out[name] = windows_json(limits);
  }
  if (task)
    result["task"] = task->to_json();
  if (!prices.empty())
    result["prices"] = prices.to_json();
  return result;
}

bool budget_config::empty() const {
  return runtime.empty() && pools.empty() && !task;
}

} // namespace herd
