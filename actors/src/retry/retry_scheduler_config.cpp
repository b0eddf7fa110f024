#include "herd/retry/retry_scheduler_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

constexpr double max_rate_limit = 1e9;

retry_budget::settings read_budget(const json_reader& in, retry_budget::settings x) {
  x.max_tokens = in.number("max_tokens", x.max_tokens, 1, 1e9);
  x.token_ratio = in.number("token_ratio", x.token_ratio, 0, 1e9);
  x.min_retries_per_s = in.number("min_retries_per_s", x.min_retries_per_s, 0, max_rate_limit);
  return x;
}

adaptive_pacer::settings read_pacing(const json_reader& in, adaptive_pacer::settings x) {
  x.min_rate = in.number("min_rate", x.min_rate, 1e-3, max_rate_limit);
  x.max_rate = in.number("max_rate", x.max_rate, x.min_rate, max_rate_limit);
  x.initial_rate = in.number("initial_rate", x.initial_rate, x.min_rate, x.max_rate);
  x.increase_per_s = in.number("increase_per_s", x.increase_per_s, 0, max_rate_limit);
  x.decrease_factor = in.number("decrease_factor", x.decrease_factor, 0.01, 1);
  x.failure_ratio = in.number("failure_ratio", x.failure_ratio, 0, 1);
  x.decrease_interval = in.millis("decrease_interval_ms", x.decrease_interval);
  if (x.decrease_interval.count() == 0)
    in.fail("decrease_interval_ms", "a duration in milliseconds > 0");
  x.burst = in.number("burst", x.burst, 1, max_rate_limit);
  if (x.initial_rate < x.min_rate || x.initial_rate > x.max_rate)
    in.fail("initial_rate", "a rate within [min_rate, max_rate] (" + std::to_string(x.min_rate) +
                                ", " + std::to_string(x.max_rate) + ")");
  return x;
}

} // namespace

std::string to_string(budget_action x) {
  return x == budget_action::dead_letter ? "dead_letter" : "wait";
}

retry_scheduler_config retry_scheduler_config::from_json(const json_reader& in) {
  in.only_keys({"seed", "max_pending", "backoff_memory", "retry_after_spread", "budget", "pacing"});
  retry_scheduler_config result;
  result.seed = static_cast<uint64_t>(in.integer("seed", static_cast<int64_t>(result.seed), 0));
  result.max_pending = in.integer("max_pending", result.max_pending, 1);
  result.backoff_memory = in.integer("backoff_memory", result.backoff_memory, 1);
  if (in.has("retry_after_spread")) {
    auto spread = in.at("retry_after_spread");
    spread.only_keys({"window_ms", "ratio"});
    result.spread.spread_window = spread.millis("window_ms", result.spread.spread_window);
    result.spread.spread_ratio = spread.number("ratio", result.spread.spread_ratio, 0, 100);
  }
  if (in.has("budget")) {
    auto budget = in.at("budget");
    budget.only_keys({"enabled", "max_tokens", "token_ratio", "min_retries_per_s", "on_exhausted"});
    result.budget_enabled = budget.boolean("enabled", result.budget_enabled);
    result.budget = read_budget(budget, result.budget);
    auto action = budget.choice("on_exhausted", to_string(result.on_budget_exhausted),
                                {"wait", "dead_letter"});
    result.on_budget_exhausted =
        action == "dead_letter" ? budget_action::dead_letter : budget_action::wait;
  }
  if (in.has("pacing")) {
    auto pacing = in.at("pacing");
    pacing.only_keys({"enabled", "initial_rate", "min_rate", "max_rate", "increase_per_s",
                      "decrease_factor", "failure_ratio", "decrease_interval_ms", "burst"});
    result.pacing_enabled = pacing.boolean("enabled", result.pacing_enabled);
    result.pacing = read_pacing(pacing, result.pacing);
  }
  return result;
}

nlohmann::json retry_scheduler_config::to_json() const {
  return {{"seed", seed},
          {"max_pending", max_pending},
          {"backoff_memory", backoff_memory},
          {"retry_after_spread",
           {{"window_ms", to_ms(spread.spread_window)}, {"ratio", spread.spread_ratio}}},
          {"budget",
           {{"enabled", budget_enabled},
            {"max_tokens", budget.max_tokens},
            {"token_ratio", budget.token_ratio},
            {"min_retries_per_s", budget.min_retries_per_s},
            {"on_exhausted", to_string(on_budget_exhausted)}}},
          {"pacing",
           {{"enabled", pacing_enabled},
            {"initial_rate", pacing.initial_rate},
            {"min_rate", pacing.min_rate},
            {"max_rate", pacing.max_rate},
            {"increase_per_s", pacing.increase_per_s},
            {"decrease_factor", pacing.decrease_factor},
            {"failure_ratio", pacing.failure_ratio},
            {"decrease_interval_ms", to_ms(pacing.decrease_interval)},
            {"burst", pacing.burst}}}};
}

} // namespace herd
