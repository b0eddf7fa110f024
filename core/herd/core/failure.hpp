#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/failure_category.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// A classified failure: what went wrong, where, and what the service asked for.
struct failure {
  /// The category that decides retry behaviour. Default: unknown.
  failure_category category = failure_category::unknown;
  /// A human-readable message.
  std::string message;
  /// A short machine-readable cause within the category, e.g. "auth", "connection_refused",
  /// "dns", "tls", "invalid_response", "response_too_large"; empty if none.
  std::string reason;
  /// The downstream service that failed, empty if none.
  std::string service;
  /// The service's status code (HTTP or other), 0 if none.
  int32_t status_code = 0;
  /// How long the service asked us to wait (Retry-After, retry-after-ms, time until a breaker's
  /// next probe), 0 if it said nothing.
  duration retry_after{0};

  /// A failure of `category` with `message`.
  static failure make(failure_category category, std::string message);
  /// A transient failure.
  static failure transient(std::string message) {
    return make(failure_category::transient, std::move(message));
  }
  /// A timeout.
  static failure timeout(std::string message) {
    return make(failure_category::timeout, std::move(message));
  }
  /// A rate limit with the wait the service asked for.
  static failure rate_limited(std::string message, duration retry_after);
  /// An unavailable service.
  static failure unavailable(std::string message) {
    return make(failure_category::unavailable, std::move(message));
  }
  /// A permanent failure: the request is wrong.
  static failure permanent(std::string message) {
    return make(failure_category::permanent, std::move(message));
  }
  /// An unclassified failure.
  static failure unknown(std::string message) {
    return make(failure_category::unknown, std::move(message));
  }

  /// Sets the service and returns *this, for chaining.
  failure& from(std::string service_name, int32_t status = 0);
  /// Sets the reason and returns *this, for chaining.
  failure& because(std::string why) {
    reason = std::move(why);
    return *this;
  }
  /// True if the call never reached the service: admission control refused it (a reason
  /// starting with "admission_"). Circuit breakers do not count such failures.
  bool refused_locally() const { return reason.rfind("admission_", 0) == 0; }
};

/// Field-wise equality.
bool operator==(const failure& x, const failure& y);
inline bool operator!=(const failure& x, const failure& y) {
  return !(x == y);
}

/// Makes `failure` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, failure& x) {
  return f(caf::meta::type_name("herd::failure"), x.category, x.message, x.reason, x.service,
           x.status_code, x.retry_after);
}

/// "rate_limited (429) from llm: slow down, retry after 5000 ms"; a reason follows the category:
/// "permanent/auth (401) from llm: invalid api key".
std::string to_string(const failure& x);

/// JSON form: {"category", "message", "reason" (only when set), "service", "status_code",
/// "retry_after_ms"}.
void to_json(nlohmann::json& j, const failure& x);
/// Reads the JSON form; throws `config_error` naming the bad field.
void from_json(const nlohmann::json& j, failure& x);

} // namespace herd
