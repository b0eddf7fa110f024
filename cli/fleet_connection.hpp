#pragma once

#include <cstdint>
#include <string>

#include "herd/runtime/runtime_config.hpp"

namespace herd::cli {

class command_line;

/// What the fleet commands (`herd worker`, `herd nodes`, `herd submit`) read alike: the
/// coordinator's node endpoint from `--connect HOST:PORT`, the runtime config of `--config FILE`
/// (its "node" section: application id, secret variable, heartbeats, timeouts) and
/// `--secret-env VAR` over the config's `node.secret_env`.
struct fleet_connection {
  /// The coordinator's host. Default: empty (required).
  std::string host;
  /// The coordinator's node endpoint port. Default: 0 (required).
  uint16_t port = 0;
  /// The runtime config (defaults without --config).
  runtime_config config;

  /// Reads `cmd`; throws std::invalid_argument for a missing or bad --connect and
  /// `config_error` for a bad config file.
  static fleet_connection read(const command_line& cmd);
};

} // namespace herd::cli
