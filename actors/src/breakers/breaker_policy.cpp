#include "herd/breakers/breaker_policy.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

/// Requires `value` > 0 at `key`.
void require_positive(const json_reader& in, std::string_view key, duration value) {
  if (value <= duration{0})
    in.fail(key, "a duration in milliseconds > 0");
}

} // namespace

std::string to_string(breaker_window_kind x) {
  return x == breaker_window_kind::time ? "time" : "count";
}

bool breaker_policy::records(failure_category category) const {
  return std::find(record_on.begin(), record_on.end(), category) != record_on.end();
}

breaker_policy breaker_policy::from_json(const json_reader& in) {
  return from_json(in, breaker_policy{});
}

breaker_policy breaker_policy::from_json(const json_reader& in, const breaker_policy& defaults) {
  in.only_keys({"window",
                "window_size",
                "window_duration_ms",
                "window_buckets",
                "min_calls",
                "failure_rate_threshold",
                "slow_call_duration_ms",
                "slow_call_rate_threshold",
                "consecutive_failures",
                "record_on",
                "open_duration_ms",
                "open_multiplier",
                "max_open_duration_ms",
                "open_jitter",
                "open_reset_after_ms",
                "half_open_probes",
                "probe_timeout_ms",
                "max_half_open_ms",
                "call_timeout_ms",
                "seed"});
  breaker_policy r = defaults;
  r.window_kind = in.choice("window", to_string(defaults.window_kind), {"count", "time"}) == "time"
                      ? breaker_window_kind::time
                      : breaker_window_kind::count;
  r.window_size = static_cast<int32_t>(in.integer("window_size", r.window_size, 1, 1000000));
  r.window_duration = in.millis("window_duration_ms", r.window_duration);
  r.window_buckets = static_cast<int32_t>(in.integer("window_buckets", r.window_buckets, 1, 3600));
  r.min_calls = static_cast<int32_t>(in.integer("min_calls", r.min_calls, 1, 1000000));
  r.failure_rate_threshold =
      in.number("failure_rate_threshold", r.failure_rate_threshold, 1e-9, 1.0);
  r.slow_call_duration = in.millis("slow_call_duration_ms", r.slow_call_duration);
  r.slow_call_rate_threshold =
      in.number("slow_call_rate_threshold", r.slow_call_rate_threshold, 1e-9, 1.0);
  r.consecutive_failures =
      static_cast<int32_t>(in.integer("consecutive_failures", r.consecutive_failures, 0, 1000000));
  if (in.has("record_on"))
    r.record_on = read_failure_categories(in.at("record_on"));
  r.open_duration = in.millis("open_duration_ms", r.open_duration);
  r.open_multiplier = in.number("open_multiplier", r.open_multiplier, 1.0, 100.0);
  r.max_open_duration = in.millis("max_open_duration_ms", r.max_open_duration);
  r.open_jitter = in.number("open_jitter", r.open_jitter, 0.0, 0.99);
  r.open_reset_after = in.millis("open_reset_after_ms", r.open_reset_after);
  r.half_open_probes =
      static_cast<int32_t>(in.integer("half_open_probes", r.half_open_probes, 1, 10000));
  r.probe_timeout = in.millis("probe_timeout_ms", r.probe_timeout);
  r.max_half_open = in.millis("max_half_open_ms", r.max_half_open);
  r.call_timeout = in.millis("call_timeout_ms", r.call_timeout);
  r.seed = static_cast<uint64_t>(in.integer("seed", static_cast<int64_t>(r.seed), 0));
  // A count window never holds more than window_size outcomes: min_calls above it never trips.
  if (r.window_kind == breaker_window_kind::count && r.min_calls > r.window_size) {
    if (in.has("min_calls"))
      in.fail("min_calls", "an integer <= window_size (" + std::to_string(r.window_size) + ")");
    in.fail("window_size", "an integer >= min_calls (" + std::to_string(r.min_calls) + ")");
  }
  require_positive(in, "window_duration_ms", r.window_duration);
  if (r.window_duration < from_ms(r.window_buckets))
    in.fail("window_duration_ms",
            "at least 1 ms per bucket (" + std::to_string(r.window_buckets) + " buckets)");
  require_positive(in, "open_duration_ms", r.open_duration);
  if (r.max_open_duration < r.open_duration)
    in.fail("max_open_duration_ms",
            "a duration >= open_duration_ms (" + std::to_string(to_ms(r.open_duration)) + ")");
  require_positive(in, "probe_timeout_ms", r.probe_timeout);
  require_positive(in, "call_timeout_ms", r.call_timeout);
  if (r.max_half_open < r.probe_timeout)
    in.fail("max_half_open_ms",
            "a duration >= probe_timeout_ms (" + std::to_string(to_ms(r.probe_timeout)) + ")");
  return r;
}

nlohmann::json breaker_policy::to_json() const {
  auto categories = nlohmann::json::array();
  for (auto category : record_on)
    categories.push_back(to_string(category));
  return {{"window", to_string(window_kind)},
          {"window_size", window_size},
          {"window_duration_ms", to_ms(window_duration)},
          {"window_buckets", window_buckets},
          {"min_calls", min_calls},
          {"failure_rate_threshold", failure_rate_threshold},
          {"slow_call_duration_ms", to_ms(slow_call_duration)},
          {"slow_call_rate_threshold", slow_call_rate_threshold},
          {"consecutive_failures", consecutive_failures},
          {"record_on", categories},
          {"open_duration_ms", to_ms(open_duration)},
          {"open_multiplier", open_multiplier},
          {"max_open_duration_ms", to_ms(max_open_duration)},
          {"open_jitter", open_jitter},
          {"open_reset_after_ms", to_ms(open_reset_after)},
          {"half_open_probes", half_open_probes},
          {"probe_timeout_ms", to_ms(probe_timeout)},
          {"max_half_open_ms", to_ms(max_half_open)},
          {"call_timeout_ms", to_ms(call_timeout)},
          {"seed", seed}};
}

bool operator==(const breaker_policy& x, const breaker_policy& y) {
  return x.window_kind == y.window_kind && x.window_size == y.window_size &&
         x.window_duration == y.window_duration && x.window_buckets == y.window_buckets &&
         x.min_calls == y.min_calls && x.failure_rate_threshold == y.failure_rate_threshold &&
         x.slow_call_duration == y.slow_call_duration &&
         x.slow_call_rate_threshold == y.slow_call_rate_threshold &&
         x.consecutive_failures == y.consecutive_failures && x.record_on == y.record_on &&
         x.open_duration == y.open_duration && x.open_multiplier == y.open_multiplier &&
         x.max_open_duration == y.max_open_duration && x.open_jitter == y.open_jitter &&
         x.open_reset_after == y.open_reset_after && x.half_open_probes == y.half_open_probes &&
         x.probe_timeout == y.probe_timeout && x.max_half_open == y.max_half_open &&
         x.call_timeout == y.call_timeout && x.seed == y.seed;
}

} // namespace herd
