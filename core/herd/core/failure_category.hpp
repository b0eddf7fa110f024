#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herd {

class json_reader;

/// Why a call or task failed; decides whether and how it is retried.
enum class failure_category : uint8_t {
  /// A passing fault (connection reset, 500): retry with backoff.
  transient,
  /// The call took too long or a lease expired.
  timeout,
  /// The service said "too many requests" (429); usually carries a retry-after.
  rate_limited,
  /// The service is down or overloaded (503).
  unavailable,
  /// A circuit breaker rejected the call without trying; carries the time until the next probe.
  circuit_open,
  /// The request itself is wrong (400, 401, 403, 404, 422): retrying cannot help.
  permanent,
  /// Anything unclassified, including an exception escaping a handler.
  unknown,
  /// The request does not fit the model's context window: not retryable as is, but a fallback
  /// with a larger window may take it.
  context_window,
  /// The provider refused the content (moderation, safety filter): not retryable as is.
  content_policy,
  /// A cost budget (the task's, its pool's or the runtime's) is spent: never retried; the task
  /// is dead-lettered or escalated by its policy.
  budget_exhausted,
  /// The task repeated the same call (service and request) too often: never retried; escalated
  /// with the repeated request.
  loop_detected,
  /// The task made more service calls than its step limit allows: never retried; escalated.
  step_limit,
};

/// Every category, in declaration order.
inline constexpr failure_category all_failure_categories[] = {
    failure_category::transient,      failure_category::timeout,
    failure_category::rate_limited,   failure_category::unavailable,
    failure_category::circuit_open,   failure_category::permanent,
    failure_category::unknown,        failure_category::context_window,
    failure_category::content_policy, failure_category::budget_exhausted,
    failure_category::loop_detected,  failure_category::step_limit};

/// The category's name, e.g. "rate_limited".
std::string to_string(failure_category x);

/// Parses a category name; empty when the name is unknown.
std::optional<failure_category> parse_failure_category(std::string_view name);

/// Reads a JSON array of category names (e.g. a policy's "retry_on"); throws `config_error`
/// naming the element's JSON path and listing every category when a name is unknown.
std::vector<failure_category> read_failure_categories(const json_reader& list);

/// Classifies an HTTP status code the way the official LLM SDKs do (408/409/429/5xx retryable;
/// 502, 503 and 529, Anthropic's "overloaded", are unavailable).
failure_category classify_http_status(int status);

} // namespace herd
