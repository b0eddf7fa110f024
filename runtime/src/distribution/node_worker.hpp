#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "distribution/worker_status.hpp"
#include "herd/distribution/node_config.hpp"
#include "herd/distribution/protocol.hpp"
#include "herd/distribution/worker_options.hpp"
#include "herd/retry/backoff.hpp"
#include "herd/retry/backoff_policy.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// A worker's link to its coordinator: dials the node endpoint through the middleman actor
/// (a request with `request_timeout`, never a blocking `remote_actor()`), registers the
/// worker's agents, pings every heartbeat interval and, when the connection drops or a dial
/// fails, dials again after a full-jitter exponential backoff between `reconnect_min` and
/// `reconnect_max`. A refusal (wrong application id or secret) ends it; the status says why.
class node_worker : public caf::event_based_actor {
public:
  /// A link for `options` (coordinator address, pool, name) with `agents`, configured by
  /// `config` (app id, liveness, timeouts), presenting `secret`, reporting to `status`.
  node_worker(caf::actor_config& cfg, node_config config, worker_options options,
              std::string secret, std::vector<caf::actor> agents,
              std::shared_ptr<worker_status> status);

  const char* name() const override { return "herd.node_worker"; }

protected:
  caf::behavior make_behavior() override;
  /// Drops the endpoint and the agents' handles.
  void on_exit() override;

private:
  /// Asks the middleman for the coordinator's endpoint.
  void dial();
  /// Presents the agents to `endpoint`.
  void enlist(node_endpoint_actor endpoint);
  /// Schedules the next dial after a backoff, for `why`.
  void redial(const std::string& why);

  node_config config_;
  worker_options options_;
  std::string secret_;
  std::vector<caf::actor> agents_;
  std::shared_ptr<worker_status> status_;
  std::shared_ptr<spdlog::logger> log_;
  backoff backoff_;
  backoff_policy reconnect_;
  node_endpoint_actor endpoint_; // while registered
  uint64_t generation_ = 0;      // of the current connection: older timers do nothing
  int32_t failures_ = 0;         // dials and registrations failed in a row
};

} // namespace herd
