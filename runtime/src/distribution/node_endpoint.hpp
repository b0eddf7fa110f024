#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "herd/dispatch/protocol.hpp"
#include "herd/distribution/node_registry.hpp"
#include "herd/distribution/protocol.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// What the node endpoint does with remote agents in the coordinator: the runtime's own
/// enrollment, so a remote agent is leased to and watched exactly like a local one.
struct node_endpoint_hooks {
  /// Adds `agent` to `pool` (dispatcher join, health monitor track, setup); returns its name.
  std::function<std::string(const std::string& pool, const caf::actor& agent)> enroll;
  /// Takes `agent` named `name` out of its pool (its leases are re-queued at once) and out of
  /// the health monitor's watch.
  std::function<void(const caf::actor& agent, const std::string& name)> dismiss;
  /// The runtime's dispatcher now (a restarted one has a new handle), for clients' submits.
  std::function<dispatcher_actor()> dispatcher;
};

/// The coordinator's node endpoint and node watcher (protocol: `node_endpoint_actor`).
///
/// A registration with the wrong application id or secret is answered with
/// `node_errc::refused` and changes nothing. An admitted worker's agents are enrolled through
/// the hooks and monitored here: CAF 0.17.6 has no node-down event, so the first down message
/// of any proxy of a node (`remote_link_unreachable` when the middleman drops the connection,
/// after its connection timeout for a silent node) marks the whole node lost and dismisses
/// all its agents at once; their leases go back to the queue and their late results are
/// ignored (the dispatcher no longer knows those leases). A worker that registers again under
/// its name replaces its earlier agents.
///
/// Clients submit with the same credentials: the endpoint checks them and delegates the task
/// to the dispatcher, which answers the client directly (its outcome, or its acknowledgement).
class node_endpoint : public node_endpoint_actor::base {
public:
  /// An endpoint admitting what `registry` admits, enrolling through `hooks`.
  node_endpoint(caf::actor_config& cfg, node_registry registry, node_endpoint_hooks hooks);

  const char* name() const override { return "herd.node_endpoint"; }

protected:
  behavior_type make_behavior() override;
  /// Drops the agents' handles.
  void on_exit() override;

private:
  /// One remote agent: its node and its name in the coordinator.
  struct remote_agent {
    std::string node;
    std::string name;
    caf::actor handle;
  };

  /// The dispatcher for a client presenting `c`, or why it may not submit (`node_errc::refused`)
  /// or cannot (`errc::shutting_down`).
  caf::expected<dispatcher_actor> dispatcher_for(const node_credentials& c);
  /// Dismisses every agent of node `node` (lost or replaced) and forgets them.
  void dismiss_node(const std::string& node);

  node_registry registry_;
  node_endpoint_hooks hooks_;
  std::shared_ptr<spdlog::logger> log_;
  std::unordered_map<caf::actor_addr, remote_agent> agents_;
};

} // namespace herd
