#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/failure_category.hpp"
#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How a circuit breaker remembers recent outcomes.
enum class breaker_window_kind : uint8_t {
  /// The last `window_size` outcomes (a ring).
  count,
  /// The outcomes of the last `window_duration`, in `window_buckets` buckets on the actor clock.
  time,
};

/// The name of a window kind: "count" or "time".
std::string to_string(breaker_window_kind x);

/// When a circuit breaker trips, how long it stays open and how it probes the service again.
/// Defaults are chosen for LLM and tool APIs: tolerant of a few errors, quick to notice an outage.
struct breaker_policy {
  // -- window -----------------------------------------------------------------------------------

  /// The window kind. Default: count.
  breaker_window_kind window_kind = breaker_window_kind::count;
  /// Outcomes kept by a count window. Default: 100.
  int32_t window_size = 100;
  /// The span of a time window. Default: 60 s.
  duration window_duration = from_ms(60000);
  /// Buckets of a time window (outcomes expire one bucket at a time). Default: 10.
  int32_t window_buckets = 10;

  // -- trip rules -------------------------------------------------------------------------------

  /// Outcomes the window must hold before rates can trip the breaker. Default: 20.
  int32_t min_calls = 20;
  /// Trip when the failure rate reaches this fraction (0 < x <= 1). Default: 0.5.
  double failure_rate_threshold = 0.5;
  /// A call that takes this long is slow, even if it succeeds. Default: 30 s.
  duration slow_call_duration = from_ms(30000);
  /// Trip when the slow-call rate reaches this fraction (0 < x <= 1). Default: 1.0.
  double slow_call_rate_threshold = 1.0;
  /// Trip after this many failures in a row, regardless of `min_calls`; 0 = off. Default: 0.
  int32_t consecutive_failures = 0;
  /// The failure categories that count as failures; other failures count as successes because
  /// the service answered. Default: transient, timeout, rate_limited, unavailable.
  std::vector<failure_category> record_on = {failure_category::transient, failure_category::timeout,
                                             failure_category::rate_limited,
                                             failure_category::unavailable};

  // -- open state -------------------------------------------------------------------------------

  /// How long the first opening lasts. Default: 15 s.
  duration open_duration = from_ms(15000);
  /// Growth of the open duration per consecutive opening; 1 = fixed. Default: 2.
  double open_multiplier = 2.0;
  /// The longest open duration. Default: 300 s.
  duration max_open_duration = from_ms(300000);
  /// Random spread of each open duration, a fraction in [0, 1): d * uniform(1 - x, 1 + x),
  /// then capped. Default: 0.1.
  double open_jitter = 0.1;
  /// Staying closed this long forgets earlier openings (the next lasts `open_duration`).
  /// Default: 60 s.
  duration open_reset_after = from_ms(60000);

  // -- half-open state --------------------------------------------------------------------------

  /// Probe calls let through in half-open; they close or reopen the breaker. Default: 3.
  int32_t half_open_probes = 3;
  /// A probe without an answer after this long fails as a timeout. Default: 10 s.
  duration probe_timeout = from_ms(10000);
  /// The longest wait for the probes' verdict, from the first probe; then the breaker reopens.
  /// Default: 60 s.
  duration max_half_open = from_ms(60000);

  // -- calls ------------------------------------------------------------------------------------

  /// A call (not a probe) without an answer after this long fails as a timeout. Default: 60 s.
  duration call_timeout = from_ms(60000);
  /// Seed of the jitter generator; the registry mixes in the breaker's key. Default: 42.
  uint64_t seed = 42;

  /// True if failures of `category` count as failures.
  bool records(failure_category category) const;

  /// Reads a policy; absent keys keep the values of `defaults`. Throws `config_error` naming
  /// the JSON path of a bad field.
  static breaker_policy from_json(const json_reader& in, const breaker_policy& defaults);
  /// Reads a policy over the defaults above.
  static breaker_policy from_json(const json_reader& in);
  /// The JSON form (every key, durations in milliseconds).
  nlohmann::json to_json() const;
};

/// Field-wise equality.
bool operator==(const breaker_policy& x, const breaker_policy& y);

/// Makes `breaker_policy` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, breaker_policy& x) {
  return f(caf::meta::type_name("herd::breaker_policy"), x.window_kind, x.window_size,
           x.window_duration, x.window_buckets, x.min_calls, x.failure_rate_threshold,
           x.slow_call_duration, x.slow_call_rate_threshold, x.consecutive_failures, x.record_on,
           x.open_duration, x.open_multiplier, x.max_open_duration, x.open_jitter,
           x.open_reset_after, x.half_open_probes, x.probe_timeout, x.max_half_open, x.call_timeout,
           x.seed);
}

} // namespace herd
