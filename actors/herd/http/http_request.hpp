#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "herd/core/time.hpp"

namespace herd {

/// One HTTP request for `http_client`. Zero timeouts and size limits take the client's defaults.
struct http_request {
  /// The method. Default: "POST".
  std::string method = "POST";
  /// The absolute URL, http:// or https://.
  std::string url;
  /// Header lines as (name, value), sent in this order. Values may hold secrets (an API key):
  /// herd never logs or stores them.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body; empty for none.
  std::string body;
  /// Longest time to establish the connection (TCP and TLS); 0 = the client's default.
  duration connect_timeout{0};
  /// Longest time for the whole exchange, connect included; 0 = the client's default.
  duration total_timeout{0};
  /// Largest response body accepted, in bytes; 0 = the client's default.
  int64_t max_response_bytes = 0;
};

/// Field-wise equality.
bool operator==(const http_request& x, const http_request& y);

/// Makes `http_request` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_request& x) {
  return f(caf::meta::type_name("herd::http_request"), x.method, x.url, x.headers, x.body,
           x.connect_timeout, x.total_timeout, x.max_response_bytes);
}

} // namespace herd
