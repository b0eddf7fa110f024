#include "herd/supervision/supervisor_config.hpp"
#include "herd/core/enum_name.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(restart_strategy x) {
  switch (x) {
  case restart_strategy::one_for_one:
    return "one_for_one";
  case restart_strategy::one_for_all:
    return "one_for_all";
  case restart_strategy::rest_for_one:
    return "rest_for_one";
  }
  return "unknown";
}

std::optional<restart_strategy> parse_restart_strategy(std::string_view name) {
  return parse_enum_name<restart_strategy>(name, {restart_strategy::one_for_one,
                                                  restart_strategy::one_for_all,
                                                  restart_strategy::rest_for_one});
}

supervisor_config supervisor_config::from_json(const json_reader& in) {
  in.only_keys({"name", "strategy", "max_restarts", "period_ms", "min_backoff_ms", "max_backoff_ms",
                "random_factor", "reset_after_ms", "seed"});
  supervisor_config r;
  r.name = in.string("name", r.name);
  r.strategy = *parse_restart_strategy(
      in.choice("strategy", to_string(r.strategy), {"one_for_one", "one_for_all", "rest_for_one"}));
  r.max_restarts = static_cast<int32_t>(in.integer("max_restarts", r.max_restarts, 0, 1000000));
  r.period = in.millis("period_ms", r.period);
  if (r.period.count() == 0)
    in.fail("period_ms", "a duration in milliseconds > 0");
  r.min_backoff = in.millis("min_backoff_ms", r.min_backoff);
  r.max_backoff = in.millis("max_backoff_ms", r.max_backoff);
  if (r.max_backoff < r.min_backoff)
    in.fail("max_backoff_ms", "a duration in milliseconds >= min_backoff_ms");
  r.random_factor = in.number("random_factor", r.random_factor, 0.0, 10.0);
  r.reset_after = in.millis("reset_after_ms", r.reset_after);
  r.seed = static_cast<uint64_t>(in.integer("seed", static_cast<int64_t>(r.seed), 0));
  return r;
}

nlohmann::json supervisor_config::to_json() const {
  return {{"name", name},
          {"strategy", to_string(strategy)},
          {"max_restarts", max_restarts},
          {"period_ms", to_ms(period)},
          {"min_backoff_ms", to_ms(min_backoff)},
          {"max_backoff_ms", to_ms(max_backoff)},
          {"random_factor", random_factor},
          {"reset_after_ms", to_ms(reset_after)},
          {"seed", seed}};
}

} // namespace herd
