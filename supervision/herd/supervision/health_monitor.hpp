#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/dispatch/liveness_board.hpp"
#include "herd/supervision/deadline_detector.hpp"
#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/health_state.hpp"
#include "herd/supervision/phi_accrual_detector.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Watches agents' heartbeats with one failure detector per agent and one check timer for all.
///
/// Protocol (atoms in herd/atoms.hpp and herd/supervision_atoms.hpp):
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
/// - `(state_atom, name, state)`: its supervisor says "restarting" or "stopped".
/// - `(health_atom) -> std::string`: the health view as JSON.
/// - `(stats_atom) -> uint64_t`: how many agents it tracks (cheap, unlike the view).
/// - `(subscribe_atom, actor)`: events `(sup_event_atom, json)` go to `actor`.
/// When a detector fires, the monitor sends `(suspect_atom, agent, name, reason)` to the agent's
/// supervisor and `(isolate_atom, agent)` to the dispatcher at once; the agent is then isolated
/// until a new incarnation is tracked. On start it sends `(subscribe_atom, self)` to the
/// dispatcher.
class health_monitor : public caf::event_based_actor {
public:
  /// A monitor with `config` that isolates suspects at `dispatcher` (may be invalid), counting
  /// into `metrics`; `board` (may be null) serves agents tracked with a slot.
  health_monitor(caf::actor_config& cfg, health_monitor_config config, caf::actor dispatcher,
                 std::shared_ptr<metrics_registry> metrics,
                 std::shared_ptr<liveness_board> board = nullptr);

  /// "herd.health_monitor".
  const char* name() const override { return "herd.health_monitor"; }

protected:
  caf::behavior make_behavior() override;
  /// Drops its handles of agents, supervisors and subscribers (agents hold the monitor as their
  /// heartbeat target: without this the cycle outlives both, and a detached monitor's thread
  /// never ends).
  void on_exit() override;

private:
  using detector = std::variant<deadline_detector, phi_accrual_detector>;

  struct entry {
    caf::actor handle;
    caf::actor supervisor;
    health_state state = health_state::healthy;
    detector watch;
    uint64_t last_seq = 0;
    uint64_t heartbeats = 0;
    uint64_t stuck_reports = 0;
    time_point since;
    std::optional<size_t> slot; // its liveness board slot while it lives
    bool board_watched = false; // tracked with a slot (not by heartbeats)
  };

  detector make_detector() const;
  void on_track(const caf::actor& agent, const std::string& name, const caf::actor& supervisor,
                std::optional<size_t> slot);
  void retire(entry& e);
  void on_heartbeat(const std::string& name, uint64_t seq);
  void on_stuck(const std::string& name, const std::string& task_id);
  void on_tick(uint64_t generation);
  void check(const std::string& name, entry& e, time_point now);
  void set_state(const std::string& name, entry& e, health_state s, time_point now);
  void emit(const std::string& event, const std::string& name, const std::string& detail);
  std::string view() const;
  void arm_timer();

  health_monitor_config config_;
  caf::actor dispatcher_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  std::unordered_map<std::string, entry> agents_;
  std::unordered_map<caf::actor_addr, std::string> names_;
  std::shared_ptr<liveness_board> board_;
  std::unordered_map<caf::actor_addr, size_t> retired_slots_;      // old incarnations' slots
  std::vector<std::pair<const std::string*, entry*>> slot_owners_; // by slot; dense scan
  size_t heartbeat_entries_ = 0; // entries watched by heartbeats (scanned through agents_)
  int64_t hang_limit_ns_;
  std::vector<caf::actor> subscribers_;
  uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;

  counter* heartbeats_metric_;
  counter* missed_metric_;
  counter* isolations_metric_;
  counter* stuck_metric_;
  counter* stale_metric_;
  gauge* tracked_metric_;
};

} // namespace herd
