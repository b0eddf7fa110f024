#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "herd/runtime/ops_endpoint_config.hpp"

namespace herd {

class runtime;

/// The runtime's embedded HTTP endpoint: GET / (the live dashboard), /metrics (Prometheus text),
/// /health/live, /health/ready and /api/state. Handlers run on cpp-httplib's own threads and ask
/// actors with a 1 s timeout, so they never block an actor.
class ops_endpoint {
public:
  /// An endpoint for `rt` (which must outlive it) as `config` says; `start()` binds it.
  ops_endpoint(runtime& rt, ops_endpoint_config config);
  /// Stops the endpoint if it runs.
  ~ops_endpoint();
  ops_endpoint(const ops_endpoint&) = delete;
  ops_endpoint& operator=(const ops_endpoint&) = delete;

  /// Binds `config.listen` and serves on a background thread; returns the bound port (the
  /// ephemeral one for port 0). Throws `std::runtime_error` if the address cannot be bound.
  uint16_t start();
  /// Stops serving and joins the thread; idempotent.
  void stop();
  /// The bound port; 0 before `start()`.
  uint16_t port() const;
  /// "http://HOST:PORT", once started.
  std::string url() const;

  /// The /health/ready answer: {"ready": bool, "reasons": [...], "healthy_agents": n}.
  nlohmann::json readiness() const;
  /// The /api/state answer: {"generated_at" (UTC ISO 8601), "agents", "dispatcher"}.
  nlohmann::json state() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace herd
