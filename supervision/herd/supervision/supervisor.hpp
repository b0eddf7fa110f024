#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/subscriber_list.hpp"
#include "herd/supervision/child_spec.hpp"
#include "herd/supervision/health_state.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/restart_planner.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "herd/supervision/supervisor_config.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Starts children from specs, watches them with monitors (never links) and restarts them by
/// its strategy, with restart backoff and restart intensity. The decisions are the
/// `restart_planner`'s; this actor turns messages into calls on it and carries them out. Protocol:
/// `supervisor_actor` in herd/supervision/protocol.hpp.
///
/// - Children start in spec order and stop in reverse order (`exit(user_shutdown)`, then
///   `kill` after the spec's shutdown timeout).
/// - A child that exits is restarted according to its restart type and the strategy, after the
///   failed child's backoff delay (a generation-numbered `(restart_atom, batch)` timer).
/// - More than `max_restarts` within `period`: the supervisor stops its children and exits with
///   `supervision_errc::intensity_exceeded`; a parent supervisor monitoring it sees an abnormal
///   exit and applies its own strategy (the supervisor gave up; the parent decides).
/// - `(suspect_atom, child, name, reason)` from the health monitor: the child is hung (CAF cannot
///   preempt a running handler), so it is abandoned (told to exit, killed after its shutdown
///   timeout, no longer counted) and replaced like a crashed child.
/// - `(subscribe_atom, actor)`: `actor` receives `(restarted_atom, id, old, new)` for every new
///   incarnation (the on-restart hook: re-register it with the dispatcher) and
///   `(sup_event_atom, supervision_event)` events.
/// - `(children_atom) -> std::vector<caf::actor>`: the current incarnations in spec order.
/// - `(add_child_atom, child_spec)`: a new child after the others, started at once;
///   `(scale_up_atom, child_spec, why)` the same, with a `scaled_up` event.
/// - `(scale_down_atom, child, why)`: the child is stopped for good (not restarted, no longer
///   watched), with a `scaled_down` event.
/// - A child that exits with `errc::recycled` (an agent that retired for recycling) is
///   replaced at once, with a `recycled` event; not counted against the restart intensity.
/// - An `exit_msg` (from the parent or the runtime) stops the children, then the supervisor.
///   If the supervisor is killed, its children are told to exit as it terminates.
class supervisor : public supervisor_actor::base {
public:
  /// A supervisor with `config` over `children`, counting into `metrics`; children with
  /// `heartbeats` are registered with `health_monitor` (may be invalid) under their id.
  supervisor(caf::actor_config& cfg, supervisor_config config, std::vector<child_spec> children,
             std::shared_ptr<metrics_registry> metrics, health_monitor_actor health_monitor = {});

  /// The supervisor's name from its config.
  const char* name() const override { return config_.name.c_str(); }

protected:
  behavior_type make_behavior() override;
  /// Drops its children's specs and handles, its listeners and its health monitor, so no
  /// reference cycle keeps a terminated actor alive.
  void on_exit() override;

private:
  struct incarnations {
    caf::actor handle;   // the running incarnation
    caf::actor previous; // the last incarnation, until the next one starts
  };

  // Adds `spec` (stopped) after the others, or in the slot of a child that stopped for good if
  // `reuse_free_slot`; returns its index.
  size_t add_child(child_spec spec, bool reuse_free_slot = false);
  void start_child(size_t i);
  void on_down(const caf::down_msg& dm);
  void remove_child(const caf::actor& child, const std::string& why);
  void on_failure(size_t i, const caf::error& reason, bool abnormal);
  void on_suspect(const caf::actor& child, const std::string& reason);
  void on_restart(uint64_t batch);
  void on_brutal(const caf::actor& child);
  void stop_incarnation(size_t i);
  void stop_handle(const caf::actor& h, duration timeout);
  void shutdown(caf::error reason);
  void maybe_quit();
  void tell_monitor(size_t i, health_state state);
  void emit(supervision_event_kind kind, const std::string& child, const std::string& detail);
  void set_handle(size_t i, caf::actor h);
  std::optional<size_t> slot_of(const caf::actor_addr& addr) const;

  supervisor_config config_;
  restart_planner planner_;
  std::vector<incarnations> children_; // by child index, beside the planner's
  std::shared_ptr<metrics_registry> metrics_;
  health_monitor_actor health_monitor_;
  std::shared_ptr<spdlog::logger> log_;
  subscriber_list listeners_;
  std::unordered_map<caf::actor_addr, caf::actor> stopping_;  // stopped, down not yet seen
  std::unordered_map<caf::actor_addr, caf::actor> abandoned_; // hung, killed after a timeout
  std::unordered_map<caf::actor_addr, size_t> slots_;         // live child -> its index
  std::shared_ptr<std::vector<caf::actor>> live_; // by child index; stopped if we are killed
  bool shutting_down_ = false;
  caf::error exit_reason_;

  counter* restarts_metric_;
  counter* gave_up_metric_;
  counter* abandoned_metric_;
  counter* exits_metric_;
  counter* recycled_metric_;
};

} // namespace herd
