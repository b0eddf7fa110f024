#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/degradation/call_guard.hpp"
#include "herd/dispatch/liveness_board.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/locks/protocol.hpp"
#include "herd/runtime/runtime_config.hpp"
#include "herd/supervision/child_spec.hpp"
#include "shutdown_reaper.hpp"

namespace herd {

class journal_writer;

/// The runtime's supervision tree and the handles of its actors (internal to the facade).
///
///     root "herd.root" (rest_for_one)
///       [history recorder], dispatcher, [dead-letter queue, escalation queue], retry scheduler,
///       breaker registry, health monitor, lock manager, "herd.pools" (one_for_one)
///                          "pool:<name>" (the configured supervision) -> the pool's agents
///
/// Each child's factory spawns it with the handles of the actors before it (its peers), and
/// rest_for_one restarts everything after a crashed child; so a restarted dispatcher gets fresh
/// queues, retry scheduler, breakers and agents that know it. The handles change on restarts;
/// readers take a copy under the lock. Factories run in supervisors' contexts, so everything here
/// is guarded by one mutex.
class system_actors : public std::enable_shared_from_this<system_actors> {
public:
  /// Makes an agent of a pool (a fresh instance per call).
  using agent_factory = std::function<caf::actor(caf::actor_system&)>;

  /// The actors of a runtime with `config` in `sys`, counting into `metrics`.
  system_actors(caf::actor_system& sys, runtime_config config,
                std::shared_ptr<metrics_registry> metrics);

  /// Opens the dead-letter database (if configured) and the task journal (with durability
  /// "sync": locked for the runtime's life, its writer thread started), then spawns the system
  /// actors and the root supervisor, which adopts them. Throws what failed (a `store_error` naming
  /// the file), with nothing left running.
  void boot();
  /// Starts `count` agents made by `make` in `pool` under a new pool supervisor; returns them.
  std::vector<caf::actor> spawn_pool(const std::string& pool, size_t count, agent_factory make);
  /// Adds an agent the caller spawned to `pool`, watched but not supervised; returns it.
  caf::actor add_agent(const std::string& pool, caf::actor agent);
  /// Adds an agent of another process (a proxy) to `pool` like `add_agent`, without a liveness
  /// board slot (it heartbeats by message) and without stopping it at shutdown (its worker
  /// does); returns its name.
  std::string add_remote_agent(const std::string& pool, const caf::actor& agent);
  /// Takes the remote agent `agent` named `name` out of its pool (the dispatcher re-queues its
  /// leases) and out of the health monitor's watch.
  void remove_remote_agent(const caf::actor& agent, const std::string& name);
  /// Registers (or replaces) the actor behind a service's breakers, and the service and its
  /// `prices` (none: the budgets' price table) with the call guard; kept across restarts.
  void add_service(const std::string& service, caf::actor handle,
                   std::optional<llm_prices> prices = std::nullopt);
  /// The guard of agents' service calls (services, breakers, loop limits, budgets), shared by
  /// every agent and the dispatcher.
  const std::shared_ptr<call_guard>& guard() const { return guard_; }
  /// Sends `listener` the `(sup_event_atom, supervision_event)` events of the health monitor and of
  /// every supervisor (and `(restarted_atom, id, old, new)` from the supervisors), now and after
  /// restarts.
  void subscribe(const caf::actor& listener);
  /// Sends `listener` `(esc_opened_atom, task_id, kind, pool, reason)` for every escalation
  /// stored from now on, also by later incarnations of the escalation queue.
  void subscribe_escalations(const caf::actor& listener);
  /// Sends `listener` every `breaker_transition`, also of later breaker registries.
  void subscribe_breakers(const caf::actor& listener);
  /// Sends `listener` `(dlq_alert_atom, depth, threshold)` when the dead-letter depth reaches
  /// `threshold`, also from later incarnations of the dead-letter queue.
  void subscribe_dead_letter_depth(const caf::actor& listener, int64_t threshold);
  /// What a shutdown stops: the root (which stops the pools first and the dispatcher last),
  /// the unsupervised agents and the services, each sent an exit; and, watched, every system
  /// actor and agent under the root, so one that does not stop in time is killed too.
  std::vector<stop_target> stop_targets() const;
  /// Forgets the factories (they hold this object) and every handle, once the runtime is done;
  /// commits and closes the task journal, releasing its lock.
  void release();
  /// The task journal's writer, shared by every dispatcher incarnation; nullptr without one.
  const std::shared_ptr<journal_writer>& journal() const { return journal_; }

  // -- handles (copies taken under the lock) ------------------------------------------------

  /// The dispatcher.
  dispatcher_actor dispatcher() const;
  /// The retry scheduler.
  caf::actor retry_scheduler() const;
  /// The breaker registry.
  caf::actor breakers() const;
  /// The lock manager.
  lock_manager_actor lock_manager() const;
  /// The admission gate of `service`; nullptr if it was never added.
  caf::actor admission_gate(const std::string& service) const;
  /// The names of the services added so far, sorted.
  std::vector<std::string> service_names() const;
  /// The dead-letter queue, if configured.
  caf::actor dead_letter_queue() const;
  /// The history recorder, if the task history is on (`runtime_config::history_db`).
  caf::actor history_recorder() const;
  /// The escalation queue, if configured.
  caf::actor escalation_queue() const;
  /// The health monitor.
  caf::actor health_monitor() const;
  /// The root supervisor.
  caf::actor root() const;
  /// The current incarnations of every pool's agents, by pool.
  std::map<std::string, std::vector<caf::actor>> pools() const;

private:
  caf::actor start_history_recorder(caf::actor_system& sys);
  caf::actor start_dispatcher(caf::actor_system& sys);
  caf::actor start_retry_scheduler(caf::actor_system& sys);
  caf::actor start_breakers(caf::actor_system& sys);
  caf::actor start_dead_letter_queue(caf::actor_system& sys);
  caf::actor start_escalation_queue(caf::actor_system& sys);
  caf::actor start_health_monitor(caf::actor_system& sys);
  caf::actor start_lock_manager(caf::actor_system& sys);
  caf::actor start_pools(caf::actor_system& sys);
  child_spec system_child(const std::string& id,
                          caf::actor (system_actors::*start)(caf::actor_system&));
  /// The spec of a fresh agent of `pool` made by `make`: its name reserved, each start enrolling
  /// the new incarnation.
  child_spec agent_spec(const std::string& pool, const agent_factory& make);
  /// Spawns the autoscaler of `pool` over its supervisor `pool_supervisor`, if the pool's
  /// config has `autoscaling`.
  void start_autoscaler(caf::actor_system& sys, const std::string& pool,
                        const caf::actor& pool_supervisor, size_t initial,
                        const agent_factory& make);
  /// Forgets `agent`, removed from its pool by autoscaling (no longer a current incarnation).
  void forget_agent(const caf::actor& agent);
  /// Sets `agent` up as `name` of `pool` and lets it join the dispatcher; returns its board
  /// slot when it is watched through the board.
  std::optional<uint64_t> enroll(const std::string& pool, const std::string& name,
                                 const caf::actor& agent, bool remote = false);
  /// Registers an actor whose events listeners receive; returns it.
  caf::actor observed(caf::actor source);
  /// The name and index of a new agent of `pool` ("<pool>-<n>").
  std::pair<std::string, size_t> reserve_agent(const std::string& pool);

  caf::actor_system& sys_;
  const runtime_config config_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<liveness_board> board_;
  std::shared_ptr<call_guard> guard_;
  std::shared_ptr<journal_writer> journal_; // set by boot with durability "sync"

  mutable std::mutex mtx_;
  caf::actor history_recorder_;
  dispatcher_actor dispatcher_;
  caf::actor retry_scheduler_;
  caf::actor breakers_;
  caf::actor dead_letter_queue_;
  caf::actor escalation_queue_;
  caf::actor health_monitor_;
  lock_manager_actor lock_manager_;
  caf::actor lock_revoker_; // turns the health monitor's isolations into lock revocations
  caf::actor pools_supervisor_;
  caf::actor root_;
  caf::actor memory_watchdog_; // with `memory` limits configured
  std::map<std::string, caf::actor> services_;
  std::map<std::string, caf::actor> gates_; // each service's admission gate, behind its breakers
  std::vector<std::pair<std::string, caf::actor>> replaced_services_; // stopped at shutdown too
  std::vector<child_spec> pool_supervisors_; // children of "herd.pools", kept for its restarts
  std::map<std::string, std::vector<caf::actor>> pools_;
  std::map<std::string, size_t> supervisors_per_pool_;
  std::vector<caf::actor> unsupervised_;
  std::vector<caf::actor> listeners_;
  std::vector<caf::actor> escalation_listeners_;
  std::vector<caf::actor> breaker_listeners_;
  std::vector<std::pair<caf::actor, int64_t>> depth_listeners_; // with their thresholds
  std::vector<caf::actor> observed_; // the health monitors and supervisors, for new listeners
};

} // namespace herd
