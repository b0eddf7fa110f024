#include "herd/admission/admission_policy.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(concurrency_mode x) {
  switch (x) {
  case concurrency_mode::none:
    return "none";
  case concurrency_mode::fixed:
    return "fixed";
  case concurrency_mode::adaptive:
    return "adaptive";
  }
  return "none";
}

admission_policy admission_policy::from_json(const json_reader& in) {
  return from_json(in, admission_policy{});
}

admission_policy admission_policy::from_json(const json_reader& in,
                                             const admission_policy& defaults) {
  in.only_keys({"enabled", "rate_per_s", "burst", "use_published", "published_window_ms", "learn",
                "min_rate_per_s", "decrease_factor", "increase_share", "queue_limit",
                "max_queue_wait_ms", "concurrency", "concurrency_limit", "min_concurrency",
                "max_concurrency", "latency_tolerance"});
  admission_policy r = defaults;
  r.enabled = in.boolean("enabled", r.enabled);
  r.rate_per_s = in.number("rate_per_s", r.rate_per_s, 0, 1e9);
  r.burst = in.number("burst", r.burst, 0, 1e9);
  r.use_published = in.boolean("use_published", r.use_published);
  r.published_window = in.millis("published_window_ms", r.published_window);
  if (r.published_window <= duration{0})
    in.fail("published_window_ms", "a duration in milliseconds > 0");
  r.learn = in.boolean("learn", r.learn);
  r.min_rate_per_s = in.number("min_rate_per_s", r.min_rate_per_s, 1e-3, 1e9);
  r.decrease_factor = in.number("decrease_factor", r.decrease_factor, 0.01, 0.99);
  r.increase_share = in.number("increase_share", r.increase_share, 1e-4, 10);
  r.queue_limit = in.integer("queue_limit", r.queue_limit, 0, 10000000);
  r.max_queue_wait = in.millis("max_queue_wait_ms", r.max_queue_wait);
  auto mode = in.choice("concurrency", to_string(r.concurrency), {"none", "fixed", "adaptive"});
  r.concurrency = mode == "fixed"      ? concurrency_mode::fixed
                  : mode == "adaptive" ? concurrency_mode::adaptive
                                       : concurrency_mode::none;
  r.concurrency_limit = in.integer("concurrency_limit", r.concurrency_limit, 1, 1000000);
  r.min_concurrency = in.integer("min_concurrency", r.min_concurrency, 1, 1000000);
  r.max_concurrency = in.integer("max_concurrency", r.max_concurrency, 1, 1000000);
  if (r.min_concurrency > r.max_concurrency)
    in.fail("min_concurrency", "a number <= max_concurrency");
  r.latency_tolerance = in.number("latency_tolerance", r.latency_tolerance, 1.0, 100);
  return r;
}

nlohmann::json admission_policy::to_json() const {
  return {{"enabled", enabled},
          {"rate_per_s", rate_per_s},
          {"burst", burst},
          {"use_published", use_published},
          {"published_window_ms", to_ms(published_window)},
          {"learn", learn},
          {"min_rate_per_s", min_rate_per_s},
          {"decrease_factor", decrease_factor},
          {"increase_share", increase_share},
          {"queue_limit", queue_limit},
          {"max_queue_wait_ms", to_ms(max_queue_wait)},
          {"concurrency", to_string(concurrency)},
          {"concurrency_limit", concurrency_limit},
          {"min_concurrency", min_concurrency},
          {"max_concurrency", max_concurrency},
          {"latency_tolerance", latency_tolerance}};
}

} // namespace herd
