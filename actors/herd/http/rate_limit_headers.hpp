#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "herd/core/published_limit.hpp"
#include "herd/core/time.hpp"
#include "herd/http/http_response.hpp"

namespace herd {

/// Reads how long a response asks the caller to wait before trying again. Sources, first present
/// and valid wins:
///  1. `retry-after-ms`: milliseconds, may be fractional ("1500", "12.5");
///  2. `retry-after`: delta seconds, may be fractional ("2", "0.5"), or an HTTP date in
///     IMF-fixdate, RFC 850 or asctime form (wait = date - now, 0 when in the past);
///  3. only in `rate_limit_wait`: the provider's window resets, OpenAI's
///     `x-ratelimit-reset-requests` / `-tokens` (durations such as "6m0s", "20ms", "1h2m3.5s")
///     and Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset`
///     (RFC 3339 timestamps). The reset of a limit whose `...-remaining` header says 0 is taken
///     (the larger if several are exhausted); when none says 0, the largest reset present.
/// Garbage values are ignored (the next source is tried); nothing throws. A wait longer than
/// `max_wait` (1 day) is treated as garbage too: no service really means it, and a day-long sleep
/// on a typo would stall the task.
class rate_limit_headers {
public:
  /// The wall clock that HTTP dates and RFC 3339 timestamps are compared with.
  using wall_time = std::chrono::system_clock::time_point;

  /// Longest wait accepted from a header: 1 day.
  static constexpr duration max_wait = std::chrono::hours(24);

  /// The wait a response explicitly asks for (sources 1 and 2), if any.
  static std::optional<duration> requested_wait(const http_response& response, wall_time now);
  /// The wait before a rate-limited request may succeed (sources 1, 2 and 3), if any.
  static std::optional<duration> rate_limit_wait(const http_response& response, wall_time now);

  /// The request limit a response publishes: OpenAI's `x-ratelimit-limit-requests`,
  /// `-remaining-requests` and `-reset-requests` (a Go duration), else Anthropic's
  /// `anthropic-ratelimit-requests-limit`, `-remaining` and `-reset` (RFC 3339). Values that do
  /// not parse are left out.
  static published_limit published(const http_response& response, wall_time now);

  /// A non-negative decimal number of seconds ("2", "0.25") as a duration.
  static std::optional<duration> parse_seconds(std::string_view text);
  /// An HTTP date (IMF-fixdate, RFC 850 or asctime form) as a wall-clock time.
  static std::optional<wall_time> parse_http_date(std::string_view text);
  /// A Go-style duration as OpenAI sends it ("1s", "6m0s", "20ms", "1h2m3.5s").
  static std::optional<duration> parse_go_duration(std::string_view text);
  /// An RFC 3339 timestamp ("2024-05-01T12:00:30Z", "…T12:00:30.5+02:00") as a wall-clock time.
  static std::optional<wall_time> parse_rfc3339(std::string_view text);
};

} // namespace herd
