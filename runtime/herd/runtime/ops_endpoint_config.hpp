#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace herd {

/// The runtime's embedded HTTP endpoint (`"http": {"listen": "127.0.0.1:9464", "token_env":
/// "HERD_OPS_TOKEN"}`): /metrics, /health/live, /health/ready and /api/state.
struct ops_endpoint_config {
  /// "HOST:PORT" to listen on (port 0: an ephemeral port). Default: empty (the endpoint is off).
  std::string listen;
  /// Name of the environment variable holding the bearer token for routes that change state;
  /// the token itself is never stored in the config. Default: empty (no token).
  std::string token_env;

  /// True if `listen` is set. Default: false.
  bool enabled() const { return !listen.empty(); }
  /// The host part of `listen`; throws `config_error` at /http/listen if it is malformed.
  std::string host() const;
  /// The port part of `listen` (0..65535); throws `config_error` at /http/listen if malformed.
  uint16_t port() const;
  /// True if `host()` is a loopback address (127.x.x.x, ::1, localhost).
  bool loopback() const;
  /// Reads the `"http"` object at JSON pointer `path`; throws `config_error` naming the path
  /// of a bad field.
  static ops_endpoint_config from_json(const nlohmann::json& object,
                                       const std::string& path = "/http");
  /// The JSON form: {"listen", "token_env"} (the token's value never appears).
  nlohmann::json to_json() const;
};

} // namespace herd
