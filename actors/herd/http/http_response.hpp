#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "herd/core/time.hpp"
#include "herd/http/http_error.hpp"

namespace herd {

/// The end of one HTTP exchange: a response (any status), or a transport error.
struct http_response {
  /// The status code; 0 when no complete response arrived (see `error`).
  int32_t status = 0;
  /// Response header lines as (name in lower case, value), in arrival order (the last response's
  /// headers when redirects or 100-continue came first).
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body (at most the size limit).
  std::string body;
  /// Why there is no complete response; none when there is one.
  http_error error = http_error::none;
  /// The transport's own message for `error` (never contains request headers); empty if none.
  std::string error_message;
  /// Time from start to end of the exchange.
  duration elapsed{0};
  /// True when the exchange reused a kept-alive connection.
  bool reused_connection = false;
  /// When the exchange ended, in ms since the Unix epoch (UTC), as the client saw it: what an
  /// HTTP date in Retry-After is measured from. 0 for a response built by hand.
  int64_t received_ms = 0;

  /// The value of the first header named `name` (compared case-insensitively), if any.
  std::optional<std::string_view> header(std::string_view name) const;
  /// True when a complete response with a 2xx status arrived.
  bool ok() const { return error == http_error::none && status >= 200 && status < 300; }
};

/// Field-wise equality.
bool operator==(const http_response& x, const http_response& y);

/// Makes `http_response` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_response& x) {
  return f(caf::meta::type_name("herd::http_response"), x.status, x.headers, x.body, x.error,
           x.error_message, x.elapsed, x.reused_connection, x.received_ms);
}

} // namespace herd
