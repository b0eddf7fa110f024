#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"
#include "herd/distribution/node_tls.hpp"

namespace caf {
class actor_system_config;
}

namespace herd {

class json_reader;

/// How a runtime takes part in a fleet of processes over CAF's io middleman (see
/// docs/distribution.md): the coordinator publishes its node endpoint, workers dial it. The
/// same section configures both sides; the liveness settings must be the same on every node.
///
/// JSON form (`"node"` in the runtime config, all keys optional):
/// {"publish": false, "host": "127.0.0.1", "port": 0, "app_id": "herd", "secret_env": "",
///  "heartbeat_interval_ms": 1000, "connection_timeout_ms": 5000, "request_timeout_ms": 5000,
///  "reconnect_min_ms": 200, "reconnect_max_ms": 10000, "tls": null}
struct node_config {
  /// Publish the node endpoint at boot (a coordinator). Default: false.
  bool publish = false;
  /// The address the endpoint binds; any other than loopback must be written here. Default:
  /// "127.0.0.1".
  std::string host = "127.0.0.1";
  /// The port the endpoint binds; 0 picks a free one (`runtime::node_port()` says which).
  /// Default: 0.
  uint16_t port = 0;
  /// herd's application identifier: a worker of another application is refused. Default:
  /// "herd".
  std::string app_id = "herd";
  /// The environment variable holding the shared secret a worker presents; the secret itself
  /// is never stored in the config, logged or shown. Empty: no secret (loopback only).
  /// Default: empty.
  std::string secret_env;
  /// The middleman's heartbeat interval, the same on every node. Default: 1000 ms.
  duration heartbeat_interval = from_ms(1000);
  /// The middleman drops a connection silent for this long (its proxies go down); the same on
  /// every node, at least twice the heartbeat interval. Default: 5000 ms.
  duration connection_timeout = from_ms(5000);
  /// The timeout of every cross-node request (connect, register). Default: 5000 ms.
  duration request_timeout = from_ms(5000);
  /// The first delay before a worker dials again after a lost or failed connection (full
  /// jitter below it). Default: 200 ms.
  duration reconnect_min = from_ms(200);
  /// The longest delay between a worker's dials (exponential growth stops here). Default:
  /// 10000 ms.
  duration reconnect_max = from_ms(10000);
  /// Mutual TLS between the nodes (`"tls"`: certificate, key, ca_file). Default: off.
  node_tls tls;

  /// True if `host` is a loopback address (127.x.x.x, ::1, localhost).
  bool loopback() const;
  /// The shared secret from the environment variable `secret_env` ("" when none is named);
  /// throws `config_error` at /node/secret_env when the variable is named but unset or empty.
  std::string secret() const;
  /// Sets the middleman's heartbeat interval and connection timeout in `cfg` (before the
  /// actor system starts), so every node of the fleet agrees, and loads TLS when configured.
  void apply_to(caf::actor_system_config& cfg) const;

  /// Reads the `"node"` object; throws `config_error` naming the JSON path of a bad field.
  static node_config from_json(const json_reader& in);
  /// The JSON form (the secret's variable name, never its value).
  nlohmann::json to_json() const;
};

} // namespace herd
