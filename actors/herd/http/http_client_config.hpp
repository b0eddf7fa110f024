#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How an `http_client` connects. JSON form: {"max_connections_per_host",
/// "max_connections", "connect_timeout_ms", "timeout_ms", "max_response_bytes", "user_agent"}.
struct http_client_config {
  /// Connections open at once to one host (kept alive and reused); further requests to it wait
  /// their turn inside the client. Default: 32.
  int32_t max_connections_per_host = 32;
  /// Connections open at once in all, and kept in the reuse cache. Default: 256.
  int32_t max_connections = 256;
  /// Default longest time to connect (TCP and TLS). Default: 10 s.
  duration connect_timeout = from_ms(10000);
  /// Default longest time for a whole exchange. Default: 60 s.
  duration total_timeout = from_ms(60000);
  /// Default largest response body, in bytes. Default: 8 MiB.
  int64_t max_response_bytes = int64_t{8} << 20;
  /// The User-Agent header. Default: "herd".
  std::string user_agent = "herd";

  /// Reads the JSON form; throws `config_error` naming the bad field.
  static http_client_config from_json(const json_reader& in);
  /// The JSON form, with every default spelled out.
  nlohmann::json to_json() const;
};

} // namespace herd
