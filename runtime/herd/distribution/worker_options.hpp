#pragma once

#include <cstdint>
#include <string>

namespace herd {

/// Where a worker dials and what it brings (`herd worker --connect HOST:PORT --pool NAME
/// --agents N --name NAME`). Its secret, application id and liveness settings come from the
/// runtime config's `"node"` section, the same on every node.
struct worker_options {
  /// The coordinator's host. Default: "127.0.0.1".
  std::string host = "127.0.0.1";
  /// The coordinator's node endpoint port. Default: 0 (must be set).
  uint16_t port = 0;
  /// The coordinator's pool the agents join. Default: "default".
  std::string pool = "default";
  /// The worker's name, unique in the fleet. Default: empty ("worker-<pid>").
  std::string name;
  /// How many agents the worker hosts. Default: 1.
  int32_t agents = 1;
  /// Seed of the reconnect jitter. Default: 0 (from the process id).
  uint64_t seed = 0;
};

} // namespace herd
