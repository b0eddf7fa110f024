#include "herd/retry/failure_policy.hpp"

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(terminal_action x) {
  return x == terminal_action::escalate ? "escalate" : "dead_letter";
}

bool failure_policy::retries(failure_category category) const {
  return std::find(retry_on.begin(), retry_on.end(), category) != retry_on.end();
}

const std::vector<std::string>& failure_policy::preset_names() {
  static const std::vector<std::string> names{"default", "read_only", "notification", "mutation",
                                              "payment"};
  return names;
}

failure_policy failure_policy::preset(std::string_view name) {
  failure_policy result;
  if (name == "default")
    return result;
  if (name == "read_only") {
    // Reads are safe to repeat: retry generously with full jitter.
    result.max_attempts = 10;
    result.backoff = {backoff_kind::full_jitter, from_ms(200), 2.0, from_ms(30000)};
    return result;
  }
  if (name == "notification") {
    // A late notification is worth little: a few retries, then the dead-letter queue.
    result.max_attempts = 3;
    result.backoff = {backoff_kind::exponential, from_ms(1000), 2.0, from_ms(10000)};
    return result;
  }
  if (name == "mutation") {
    // Writes repeat safely only with an idempotency key; without one a human decides.
    result.max_attempts = 5;
    result.backoff = {backoff_kind::full_jitter, from_ms(500), 2.0, from_ms(30000)};
    result.require_idempotency_key = true;
    result.on_non_retryable = terminal_action::escalate;
    return result;
  }
  if (name == "payment") {
    // Money is never moved twice by a machine: escalate at once.
    result.max_attempts = 1;
    result.backoff = {backoff_kind::none, duration{0}, 1.0, duration{0}};
    result.retry_on.clear();
    result.on_exhausted = terminal_action::escalate;
    result.on_non_retryable = terminal_action::escalate;
    return result;
  }
  throw std::invalid_argument("unknown failure policy preset: " + std::string{name});
}

failure_policy failure_policy::from_json(const json_reader& in) {
  in.only_keys({"preset", "max_attempts", "backoff", "retry_deadline_ms", "retry_on",
                "on_exhausted", "on_non_retryable", "escalate_unknown", "require_idempotency_key",
                "max_retry_after_ms"});
  auto preset_name = in.choice("preset", "default",
                               {"default", "read_only", "notification", "mutation", "payment"});
  auto result = preset(preset_name);
  result.max_attempts =
      static_cast<int32_t>(in.integer("max_attempts", result.max_attempts, 1, 1000000));
  if (in.has("backoff"))
    result.backoff = backoff_policy::from_json(in.at("backoff"), result.backoff);
  result.retry_deadline = in.millis("retry_deadline_ms", result.retry_deadline);
  if (in.has("retry_on"))
    result.retry_on = read_failure_categories(in.at("retry_on"));
  auto action = [&](std::string_view key, terminal_action fallback) {
    auto name = in.choice(key, to_string(fallback), {"dead_letter", "escalate"});
    return name == "escalate" ? terminal_action::escalate : terminal_action::dead_letter;
  };
  result.on_exhausted = action("on_exhausted", result.on_exhausted);
  result.on_non_retryable = action("on_non_retryable", result.on_non_retryable);
  result.escalate_unknown = in.boolean("escalate_unknown", result.escalate_unknown);
  result.require_idempotency_key =
      in.boolean("require_idempotency_key", result.require_idempotency_key);
  result.max_retry_after = in.millis("max_retry_after_ms", result.max_retry_after);
  return result;
}

nlohmann::json failure_policy::to_json() const {
  auto categories = nlohmann::json::array();
  for (auto category : retry_on)
    categories.push_back(to_string(category));
  return {{"max_attempts", max_attempts},
          {"backoff", backoff.to_json()},
          {"retry_deadline_ms", to_ms(retry_deadline)},
          {"retry_on", categories},
          {"on_exhausted", to_string(on_exhausted)},
          {"on_non_retryable", to_string(on_non_retryable)},
          {"escalate_unknown", escalate_unknown},
          {"require_idempotency_key", require_idempotency_key},
          {"max_retry_after_ms", to_ms(max_retry_after)}};
}

bool operator==(const failure_policy& x, const failure_policy& y) {
  return x.max_attempts == y.max_attempts && x.backoff == y.backoff &&
         x.retry_deadline == y.retry_deadline && x.retry_on == y.retry_on &&
         x.on_exhausted == y.on_exhausted && x.on_non_retryable == y.on_non_retryable &&
         x.escalate_unknown == y.escalate_unknown &&
         x.require_idempotency_key == y.require_idempotency_key &&
         x.max_retry_after == y.max_retry_after;
}

} // namespace herd
