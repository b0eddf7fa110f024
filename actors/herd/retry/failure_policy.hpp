#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/failure_category.hpp"
#include "herd/core/time.hpp"
#include "herd/retry/backoff_policy.hpp"

namespace herd {

class json_reader;

/// Where a task goes when herd stops retrying it.
enum class terminal_action : uint8_t {
  /// Into the durable dead-letter queue.
  dead_letter,
  /// To a human, through the escalation queue.
  escalate,
};

/// The name of an action, e.g. "dead_letter".
std::string to_string(terminal_action x);

/// How a kind of task is retried and where it ends when it cannot be.
struct failure_policy {
  /// Attempts in all, the first included; 1 = never retry. Default: 5.
  int32_t max_attempts = 5;
  /// The delay before each retry. Default: full jitter, 100 ms base, 20 s cap.
  backoff_policy backoff;
  /// Give up once this long has passed since the task was created; 0 = no limit. Default: 0.
  duration retry_deadline{0};
  /// The failure categories that are retried. Default: transient, timeout, rate_limited,
  /// unavailable, circuit_open.
  std::vector<failure_category> retry_on = {
      failure_category::transient, failure_category::timeout, failure_category::rate_limited,
      failure_category::unavailable, failure_category::circuit_open};
  /// What happens when attempts or the deadline run out. Default: dead_letter.
  terminal_action on_exhausted = terminal_action::dead_letter;
  /// What happens to a failure that is not retried. Default: dead_letter.
  terminal_action on_non_retryable = terminal_action::dead_letter;
  /// Send `unknown` failures (e.g. exceptions) to a human instead. Default: true.
  bool escalate_unknown = true;
  /// Retry only tasks that carry an idempotency key; others take `on_non_retryable`.
  /// Default: false.
  bool require_idempotency_key = false;
  /// The longest server-requested wait (Retry-After) that is honoured. Default: 60 s.
  duration max_retry_after = from_ms(60000);

  /// True if failures of `category` are retried.
  bool retries(failure_category category) const;

  /// The named preset: "default", "read_only", "notification", "mutation" or "payment".
  /// Throws `std::invalid_argument` for other names.
  static failure_policy preset(std::string_view name);
  /// The names of the presets.
  static const std::vector<std::string>& preset_names();

  /// Reads a policy; {"preset": NAME} starts from a preset, other keys override it.
  static failure_policy from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Field-wise equality.
bool operator==(const failure_policy& x, const failure_policy& y);

/// Makes `failure_policy` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, failure_policy& x) {
  return f(caf::meta::type_name("herd::failure_policy"), x.max_attempts, x.backoff,
           x.retry_deadline, x.retry_on, x.on_exhausted, x.on_non_retryable, x.escalate_unknown,
           x.require_idempotency_key, x.max_retry_after);
}

} // namespace herd
