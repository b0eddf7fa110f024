#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herd {

/// Why an HTTP exchange ended without a complete response (transport level; an HTTP error
/// status is not one of these).
enum class http_error : uint8_t {
  /// A complete response arrived (whatever its status).
  none,
  /// The URL is malformed or its scheme is not http/https.
  invalid_url,
  /// The host name did not resolve.
  dns,
  /// Nothing listens at the address (connection refused).
  connection_refused,
  /// The connection could not be established in time.
  connect_timeout,
  /// The exchange took longer than its total timeout.
  timeout,
  /// The peer closed or reset the connection mid-exchange, or sent a broken response.
  connection_reset,
  /// TLS handshake or certificate verification failed.
  tls,
  /// The response body exceeded the size limit.
  too_large,
  /// The caller cancelled the request.
  cancelled,
  /// The client stopped before the exchange ended.
  shutting_down,
  /// Any other transport failure.
  other,
};

/// Every value, in declaration order.
inline constexpr http_error all_http_errors[] = {http_error::none,
                                                 http_error::invalid_url,
                                                 http_error::dns,
                                                 http_error::connection_refused,
                                                 http_error::connect_timeout,
                                                 http_error::timeout,
                                                 http_error::connection_reset,
                                                 http_error::tls,
                                                 http_error::too_large,
                                                 http_error::cancelled,
                                                 http_error::shutting_down,
                                                 http_error::other};

/// The name of a value, e.g. "connection_refused".
std::string to_string(http_error x);

/// Parses a name; empty when unknown.
std::optional<http_error> parse_http_error(std::string_view name);

} // namespace herd
