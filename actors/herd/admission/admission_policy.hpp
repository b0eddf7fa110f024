#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How many calls to one service may run at once.
enum class concurrency_mode : uint8_t {
  /// No limit.
  none,
  /// At most `concurrency_limit` calls in flight.
  fixed,
  /// A limit that follows the service's latency (in the spirit of failsafe-go's adaptive
  /// limiter): it grows while the limit is used and latency stays near its baseline, and shrinks
  /// when latency rises past `latency_tolerance` times the baseline or the service throttles.
  adaptive,
};

/// The name of a mode: "none", "fixed" or "adaptive".
std::string to_string(concurrency_mode x);

/// How calls to one service are admitted: at what rate (configured, published by the service or
/// learned), how many at once, and how long they may wait. Every call to a registered service,
/// first attempts and retries alike, passes it.
///
/// The rate comes from, in order: `rate_per_s` when set; the limit the service publishes
/// (`x-ratelimit-limit-requests` over `published_window`); otherwise none. Below that ceiling,
/// with `learn`, the rate is learned: multiplied by `decrease_factor` when the service throttles
/// (429, 503, timeout) a call admitted since the last decrease, and raised each second after it
/// — quickly back toward the last rate that worked, then by `increase_share` of it (of the
/// ceiling, when there is one and it is higher) per second while calls wait for tokens. Without
/// a ceiling the rate is unlimited until the first throttle, which starts it from the calls
/// admitted in the last whole second or the current one, whichever were more.
/// With `use_published` and no `rate_per_s`, a service not heard from yet gets one call at a
/// time until its first answer, which may publish its limit.
///
/// JSON (every key optional): {"enabled": true, "rate_per_s": 0, "burst": 0,
/// "use_published": true, "published_window_ms": 60000, "learn": true, "min_rate_per_s": 1,
/// "decrease_factor": 0.7, "increase_share": 0.05, "queue_limit": 1000,
/// "max_queue_wait_ms": 30000, "concurrency": "none", "concurrency_limit": 32,
/// "min_concurrency": 1, "max_concurrency": 1000, "latency_tolerance": 2.0}
struct admission_policy {
  /// False: calls go straight to the service. Default: true.
  bool enabled = true;
  /// A configured limit, calls per second; 0 = none. Default: 0.
  double rate_per_s = 0;
  /// Calls that may go back to back (the token bucket's size); 0 = a tenth of a second's worth
  /// at the current rate, at least 1. Default: 0.
  double burst = 0;
  /// Follow the limits the service publishes in its answers. Default: true.
  bool use_published = true;
  /// The window a published limit counts calls in (OpenAI and Anthropic publish requests per
  /// minute). Default: 60 s.
  duration published_window = std::chrono::seconds(60);
  /// Learn the rate from throttling (AIMD). Default: true.
  bool learn = true;
  /// The lowest learned rate, calls per second. Default: 1.
  double min_rate_per_s = 1;
  /// Multiplicative decrease on a throttle, in (0, 1). Default: 0.7 (as the AWS SDK's adaptive
  /// mode).
  double decrease_factor = 0.7;
  /// Additive increase per second above the last rate that worked, as a share of it. Default:
  /// 0.05.
  double increase_share = 0.05;
  /// Calls that may wait for admission; more are refused (rate_limited, reason
  /// "admission_queue_full"). Default: 1000.
  int64_t queue_limit = 1000;
  /// The longest a call waits for admission before it is refused (rate_limited, reason
  /// "admission_wait"); a task deadline that comes sooner wins (timeout, reason "deadline").
  /// Default: 30 s.
  duration max_queue_wait = std::chrono::seconds(30);
  /// The concurrency limit's mode. Default: none.
  concurrency_mode concurrency = concurrency_mode::none;
  /// The fixed limit, or the adaptive limit's start. Default: 32.
  int64_t concurrency_limit = 32;
  /// The adaptive limit's lowest value. Default: 1.
  int64_t min_concurrency = 1;
  /// The adaptive limit's highest value. Default: 1000.
  int64_t max_concurrency = 1000;
  /// The adaptive limit shrinks when recent latency exceeds this many times its baseline.
  /// Default: 2.
  double latency_tolerance = 2.0;

  /// Reads the JSON form over the defaults; throws `config_error` naming the JSON path of a bad
  /// field.
  static admission_policy from_json(const json_reader& in);
  /// Reads the JSON form over `defaults` (keys not given keep their value there).
  static admission_policy from_json(const json_reader& in, const admission_policy& defaults);
  /// The JSON form, every key spelled out.
  nlohmann::json to_json() const;
};

/// Makes `admission_policy` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, admission_policy& x) {
  return f(caf::meta::type_name("herd::admission_policy"), x.enabled, x.rate_per_s, x.burst,
           x.use_published, x.published_window, x.learn, x.min_rate_per_s, x.decrease_factor,
           x.increase_share, x.queue_limit, x.max_queue_wait, x.concurrency, x.concurrency_limit,
           x.min_concurrency, x.max_concurrency, x.latency_tolerance);
}

} // namespace herd
