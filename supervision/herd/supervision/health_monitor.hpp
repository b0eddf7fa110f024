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
#include "herd/dispatch/liveness_board.hpp"
#include "herd/supervision/health_checks.hpp"
#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Watches agents' heartbeats with one failure detector per agent and one check timer for all.
/// The decisions are `health_checks`'; this actor turns messages into calls on them, monitors the
/// agents and sends what they decide.
///
/// Protocol (`health_monitor_actor` in herd/supervision/protocol.hpp):
/// - `(track_atom, agent, name, supervisor)`: watch `agent` under `name` (a new incarnation under
///   a known name replaces the old one); its detector starts now.
/// - `(track_atom, agent, name, supervisor, uint64_t slot)`: watch an in-process agent through
///   its slot of the liveness board instead of heartbeats: suspect once it has been busy in one
///   handler for more than `max_missed * heartbeat_interval - check_interval` (so a hang is found
///   within `max_missed` intervals); idle agents cost nothing. The monitor releases the slot when
///   the agent is gone.
/// - `(untrack_atom, name)`: stop watching.
/// - `(heartbeat_atom, name, seq)`: from the agent (a heartbeat from another sender is ignored).
/// - `(stuck_atom, agent_name, task_id)`: an expired lease, from the dispatcher; counted and
///   logged, and the agent is checked at once. A slow agent that still heartbeats stays healthy.
/// - `(state_atom, name, health_state)`: its supervisor says restarting or stopped.
/// - `(health_atom) -> health_view`: the health view.
/// - `(tracked_count_atom) -> uint64_t`: how many agents it tracks (cheap, unlike the view).
/// - `(subscribe_atom, actor)`: events `(sup_event_atom, supervision_event)` go to `actor`.
/// When a detector fires, the monitor sends `(suspect_atom, agent, name, reason)` to the agent's
/// supervisor and `(isolate_atom, agent)` to the dispatcher at once; the agent is then isolated
/// until a new incarnation is tracked. On start it sends `(subscribe_atom, self)` to the
/// dispatcher, which then reports stuck leases to it.
class health_monitor : public health_monitor_actor::base {
public:
  /// A monitor with `config` that isolates suspects at `dispatcher` (may be invalid), counting
  /// into `metrics`; `board` (may be null) serves agents tracked with a slot.
  health_monitor(caf::actor_config& cfg, health_monitor_config config, caf::actor dispatcher,
                 std::shared_ptr<metrics_registry> metrics,
                 std::shared_ptr<liveness_board> board = nullptr);

  /// "herd.health_monitor".
  const char* name() const override { return "herd.health_monitor"; }

protected:
  behavior_type make_behavior() override;
  /// Drops its handles of agents, supervisors and subscribers (agents hold the monitor as their
  /// heartbeat target: without this the cycle outlives both, and a detached monitor's thread
  /// never ends).
  void on_exit() override;

private:
  void on_track(const caf::actor& agent, const std::string& name,
                const supervisor_actor& supervisor, std::optional<size_t> slot);
  void release(retired_incarnation retired);
  void on_heartbeat(const std::string& name, uint64_t seq);
  void on_stuck(const std::string& name, const std::string& task_id);
  void on_tick(uint64_t generation);
  void isolate(const suspicion& s);
  void emit(supervision_event_kind kind, const std::string& name, const std::string& detail,
            uint64_t actor_id = 0);
  void arm_timer();
  // Sets herd_agents_tracked and herd_agents{state} from the checks.
  void publish_counts();

  health_monitor_config config_;
  caf::actor dispatcher_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<liveness_board> board_;
  health_checks checks_;
  std::unordered_map<caf::actor_addr, std::string> names_;
  std::unordered_map<caf::actor_addr, size_t> retired_slots_; // old incarnations' slots
  subscriber_list subscribers_;
  uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;

  counter* heartbeats_metric_;
  counter* missed_metric_;
  counter* isolations_metric_;
  counter* stuck_metric_;
  counter* stale_metric_;
  gauge* tracked_metric_;
  gauge* agents_metrics_[5]; // herd_agents{state}, by health_state
};

} // namespace herd
