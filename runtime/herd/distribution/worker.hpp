#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "herd/core/time.hpp"
#include "herd/distribution/node_info.hpp"
#include "herd/distribution/worker_options.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace herd {

class system_config;
class worker_status;

/// A worker process's side of a fleet (see docs/distribution.md): its own actor system (with
/// the middleman heartbeats of `config.node`), `options.agents` agents made by `make`, and a
/// link that registers them with the coordinator at `options.host`:`options.port`, pings it
/// and reconnects with backoff and jitter. The coordinator's dispatcher leases to the agents;
/// retries, breakers, the dead-letter queue and the journal stay with the coordinator.
///
///     herd::worker w{config, {"127.0.0.1", port, "llm"},
///                    [](caf::actor_system& sys) { return sys.spawn<my_agent>(); }};
///     auto joined = w.await_registration(herd::from_ms(10000));
class worker {
public:
  /// Makes one agent of the worker.
  using agent_factory = std::function<caf::actor(caf::actor_system&)>;

  /// Starts a worker: boots its actor system, spawns the agents and starts dialling. Throws
  /// `config_error` when `config.node.secret_env` names an unset variable.
  worker(const runtime_config& config, worker_options options, agent_factory make);
  /// Stops the worker (`stop()`).
  ~worker();

  worker(const worker&) = delete;
  worker& operator=(const worker&) = delete;

  /// Waits up to `timeout` for the registration: the coordinator's view of this node, or the
  /// error `node_errc::refused` (with the coordinator's reason) or `errc::timeout`.
  caf::expected<node_info> await_registration(duration timeout);
  /// True while registered with the coordinator.
  bool registered() const;
  /// How many times it registered (1 + reconnects).
  int64_t registrations() const;
  /// The agents it hosts.
  const std::vector<caf::actor>& agents() const { return agents_; }
  /// The worker's name (given, or "worker-<pid>").
  const std::string& name() const { return options_.name; }
  /// Its actor system.
  caf::actor_system& system() { return *sys_; }
  /// Stops the link and the agents (their leases go back to the coordinator's queue when it
  /// sees them gone). Idempotent.
  void stop();

private:
  worker_options options_;
  std::unique_ptr<system_config> cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::shared_ptr<worker_status> status_;
  std::vector<caf::actor> agents_;
  caf::actor link_;
};

} // namespace herd
