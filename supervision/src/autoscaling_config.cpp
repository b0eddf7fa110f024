#include "herd/supervision/autoscaling_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

autoscaling_config autoscaling_config::from_json(const json_reader& in) {
  in.only_keys({"min_agents", "max_agents", "target_queue_per_agent", "scale_up_after_ms",
                "scale_down_after_ms", "scale_up_cooldown_ms", "scale_down_cooldown_ms",
                "sample_interval_ms", "max_step"});
  autoscaling_config r;
  r.min_agents = static_cast<int32_t>(in.integer("min_agents", r.min_agents, 1, 100000));
  r.max_agents = static_cast<int32_t>(in.integer("max_agents", r.max_agents, 1, 100000));
  if (r.max_agents < r.min_agents)
    in.fail("max_agents", "an integer >= min_agents (" + std::to_string(r.min_agents) + ")");
  r.target_queue_per_agent =
      in.number("target_queue_per_agent", r.target_queue_per_agent, 0.0, 1e9);
  if (r.target_queue_per_agent <= 0)
    in.fail("target_queue_per_agent", "a number > 0");
  r.scale_up_after = in.millis("scale_up_after_ms", r.scale_up_after);
  r.scale_down_after = in.millis("scale_down_after_ms", r.scale_down_after);
  r.scale_up_cooldown = in.millis("scale_up_cooldown_ms", r.scale_up_cooldown);
  r.scale_down_cooldown = in.millis("scale_down_cooldown_ms", r.scale_down_cooldown);
  r.sample_interval = in.millis("sample_interval_ms", r.sample_interval);
  if (r.sample_interval.count() == 0)
    in.fail("sample_interval_ms", "a duration in milliseconds > 0");
  r.max_step = static_cast<int32_t>(in.integer("max_step", r.max_step, 1, 100000));
  return r;
}

nlohmann::json autoscaling_config::to_json() const {
  return {{"min_agents", min_agents},
          {"max_agents", max_agents},
          {"target_queue_per_agent", target_queue_per_agent},
          {"scale_up_after_ms", to_ms(scale_up_after)},
          {"scale_down_after_ms", to_ms(scale_down_after)},
          {"scale_up_cooldown_ms", to_ms(scale_up_cooldown)},
          {"scale_down_cooldown_ms", to_ms(scale_down_cooldown)},
          {"sample_interval_ms", to_ms(sample_interval)},
          {"max_step", max_step}};
}

} // namespace herd
