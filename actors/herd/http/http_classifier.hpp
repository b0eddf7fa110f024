#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "herd/core/failure.hpp"
#include "herd/http/http_response.hpp"

namespace herd {

/// Turns the end of an HTTP exchange into a classified failure, or nothing for a 2xx response.
///
/// Transport errors (reason in quotes): connection refused -> unavailable ("connection_refused");
/// DNS -> unavailable ("dns"); connection reset or broken response -> transient
/// ("connection_reset"); connect timeout -> timeout ("connect_timeout"); total timeout -> timeout
/// ("timeout"); cancelled -> timeout ("cancelled": callers cancel when a deadline or lease runs
/// out); client shutting down -> unavailable ("shutting_down"); invalid URL -> permanent
/// ("invalid_url"); TLS -> permanent ("tls": a bad certificate does not fix itself); body too
/// large -> permanent ("response_too_large"); other -> transient ("transport").
///
/// Statuses (via `classify_http_status`): 429 -> rate_limited with the wait of
/// `rate_limit_headers::rate_limit_wait`; 408, 504 -> timeout; 409, 500 and other 5xx ->
/// transient; 502, 503, 529 -> unavailable; 401, 403 -> permanent ("auth"); other 4xx ->
/// permanent; 1xx/3xx -> unknown ("unexpected_status"). `x-should-retry: true` makes a
/// non-retryable status transient ("x_should_retry"); `x-should-retry: false` makes a retryable one
/// permanent ("x_should_retry"). Any non-2xx failure keeps an explicit Retry-After /
/// retry-after-ms wait. The failure carries the status code and `message` = "HTTP 503: " + the
/// body's `error.message` (or the body) cut to `max_excerpt` bytes with control characters
/// escaped. The service name is left to the caller. Never throws.
class http_classifier {
public:
  /// The wall clock HTTP dates are compared with.
  using wall_time = std::chrono::system_clock::time_point;

  /// Most bytes of an error body quoted in a failure message: 256.
  static constexpr size_t max_excerpt = 256;

  /// The failure `response` stands for, or nothing when it is a 2xx response; HTTP dates are
  /// measured from `now`.
  static std::optional<failure> classify(const http_response& response, wall_time now);
  /// The same, with HTTP dates measured from when the response arrived (`received_ms`; the
  /// wall clock now for a response built by hand): what the codecs call.
  static std::optional<failure> classify(const http_response& response);
  /// When `response` arrived, on the wall clock (now, for a response built by hand).
  static wall_time arrival_of(const http_response& response);

  /// The human-readable error in `body`: the JSON `error.message` (or `error` when it is a
  /// string, or a top-level `message`), else the body itself; bounded and escaped.
  static std::string error_excerpt(std::string_view body);
  /// `text` cut to `max_excerpt` bytes with control characters escaped ("\n", "\x07").
  static std::string escaped_excerpt(std::string_view text);
};

} // namespace herd
