#include "demo_workload.hpp"

#include <algorithm>

#include "herd/retry/failure_policy.hpp"

namespace herd::cli {

autoscaling_config demo_autoscaling(int32_t agents) {
  autoscaling_config scaling;
  scaling.min_agents = agents;
  scaling.max_agents = agents + std::max(agents / 2, 1);
  scaling.target_queue_per_agent = 4;
  scaling.scale_up_after = from_ms(300);
  scaling.scale_down_after = from_ms(200);
  scaling.scale_up_cooldown = from_ms(300);
  scaling.scale_down_cooldown = from_ms(100);
  scaling.sample_interval = from_ms(50);
  scaling.max_step = std::max(agents / 4, 1);
  return scaling;
}

runtime_config demo_config() {
  runtime_config config;
  config.log_level = "error"; // the summary reports every failure; no log line per task
  // A demo runs for seconds, not minutes: short backoffs and a brisk retry pace.
  auto& demo = config.policies["demo"];
  demo = failure_policy::preset("read_only");
  demo.max_attempts = 4;
  demo.backoff = {backoff_kind::full_jitter, from_ms(50), 2.0, from_ms(1000)};
  config.retry.pacing.initial_rate = 100;
  config.retry.pacing.increase_per_s = 100;
  config.retry.budget.min_retries_per_s = 100;
  // A breaker that notices the outage within a few dozen calls and probes soon after.
  auto& breaker = config.breakers.defaults;
  breaker.window_size = 40;
  breaker.min_calls = 20;
  breaker.open_duration = from_ms(250);
  breaker.max_open_duration = from_ms(2000);
  breaker.half_open_probes = 3;
  breaker.probe_timeout = from_ms(1000);
  // The mock publishes its limit per one-second window (OpenAI's APIs: per minute).
  config.admission.defaults.published_window = from_ms(1000);
  // Hung agents are found within half a second and replaced; a few are the point here.
  config.health.heartbeat_interval = from_ms(250);
  config.health.check_interval = from_ms(100);
  config.supervision.max_restarts = 20;
  // A daily budget as a team would set one: /api/state and /metrics show its windows (the
  // demo's mock answers cost far less than its limits).
  budget_limit daily;
  daily.period = budget_period::day;
  daily.soft = 50.0;
  daily.hard = 100.0;
  config.budgets.runtime = {daily};
  return config;
}

std::shared_ptr<demo_chaos> make_chaos(int64_t tasks, int64_t crashes, int64_t hangs) {
  auto chaos = std::make_shared<demo_chaos>();
  for (int64_t i = 1; i <= crashes; ++i)
    chaos->crash_at.insert(i * tasks / (crashes + 1));
  for (int64_t i = 1; i <= hangs; ++i)
    chaos->hang_at.insert(i * tasks / (hangs + 1) + tasks / (4 * (hangs + 1)));
  return chaos;
}

mock_llm_profile demo_profile(int64_t capacity, double error_rate, uint64_t seed) {
  mock_llm_profile profile;
  profile.capacity_per_s = capacity;
  profile.outages = {{300, 400}};
  profile.latency_min_ms = 2;
  profile.latency_max_ms = 10;
  profile.error_rate = error_rate;
  profile.seed = seed;
  profile.context_window_tokens = demo_context_window;
  profile.validate();
  return profile;
}

fallback_chain demo_chain() {
  fallback_chain chain;
  chain.tiers = {fallback_tier::service(service_name),
                 fallback_tier::service(lite_service_name, {{"model", lite_model}})};
  chain.move_on = {failure_category::unavailable, failure_category::timeout,
                   failure_category::circuit_open, failure_category::rate_limited};
  return chain;
}

mock_llm_profile lite_profile(const mock_llm_profile& primary) {
  auto profile = primary;
  profile.capacity_per_s = std::max<int64_t>(1, primary.capacity_per_s / 3);
  profile.outages.clear();
  profile.seed = primary.seed + 1;
  profile.validate();
  return profile;
}

nlohmann::json demo_payload(int64_t index, bool over_long) {
  std::string prompt = "Summarize ticket " + std::to_string(index) + " in one sentence.";
  if (over_long)
    for (int64_t word = 0; word < 2 * demo_context_window; ++word)
      prompt += " filler";
  return {{"messages", nlohmann::json::array({{{"role", "user"}, {"content", prompt}}})}};
}

} // namespace herd::cli
