#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "herd/core/time.hpp"
#include "herd/dispatch/liveness_board.hpp"
#include "herd/supervision/deadline_detector.hpp"
#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/health_state.hpp"
#include "herd/supervision/health_view.hpp"
#include "herd/supervision/phi_accrual_detector.hpp"
#include "herd/supervision/protocol.hpp"

namespace herd {

/// An agent the checks found suspect and isolated: its supervisor is told and the dispatcher
/// stops leasing to it.
struct suspicion {
  /// The name it is tracked under.
  std::string name;
  /// The suspected incarnation.
  caf::actor agent;
  /// Its supervisor (invalid if unsupervised).
  supervisor_actor supervisor;
  /// Why, for operators: "no heartbeat for N ms" or "busy in one handler for N ms".
  std::string reason;
};

/// An incarnation the checks no longer watch; the health monitor stops monitoring it, or keeps
/// monitoring it until it is gone when it still holds a board slot.
struct retired_incarnation {
  /// The incarnation (invalid if there was none).
  caf::actor agent;
  /// Its liveness-board slot, released once it is gone. Default: none.
  std::optional<size_t> slot;
};

/// The health monitor's checks without an actor: the tracked agents (by name; a new
/// incarnation under a known name replaces the old one), one failure detector per agent fed by
/// heartbeats, the liveness board for in-process agents (suspect once busy in one handler for
/// more than `max_missed * heartbeat_interval - check_interval`, at least one check interval),
/// the suspect -> isolated transition and the health view. A check scans the board's slots
/// densely and the heartbeat-watched agents; it allocates nothing unless it finds a suspect.
/// Fed with actor-clock times.
class health_checks {
public:
  /// Checks with `config`; `board` (may be null) serves agents tracked with a slot.
  explicit health_checks(health_monitor_config config,
                         std::shared_ptr<liveness_board> board = nullptr);

  /// Watches `agent` under `name` from `now` (healthy, its detector fed once), through `slot`
  /// of the board if given, else by heartbeats; returns the incarnation it replaces.
  retired_incarnation track(const std::string& name, caf::actor agent, supervisor_actor supervisor,
                            std::optional<size_t> slot, time_point now);
  /// Stops watching `name`; returns its incarnation (none if unknown).
  retired_incarnation untrack(const std::string& name);
  /// The incarnation `agent` of `name` is gone: stopped unless restarting; returns the board
  /// slot to release. Nothing if `name` now watches another incarnation.
  std::optional<size_t> gone(const std::string& name, const caf::actor_addr& agent, time_point now);
  /// A heartbeat of `name` from `sender` (null: unknown sender, accepted); false (stale) if
  /// `name` is unknown or `sender` is not its current incarnation.
  bool heartbeat(const std::string& name, const caf::strong_actor_ptr& sender, uint64_t seq,
                 time_point now);
  /// Counts an expired lease of `name`; its last heartbeat, or none if `name` is unknown.
  std::optional<time_point> stuck(const std::string& name);
  /// Sets the state of `name` (its supervisor restarts or stops it); unknown names are ignored.
  void set_state(const std::string& name, health_state state, time_point now);

  /// Checks every agent at `now`; the suspects found, now isolated (valid until the next call).
  const std::vector<suspicion>& check_all(time_point now);
  /// Checks `name` at once (a stuck report); the suspicion if it is now isolated.
  std::optional<suspicion> check(const std::string& name, time_point now);

  /// The state of `name`, or none if unknown.
  std::optional<health_state> state_of(const std::string& name) const;
  /// The number of tracked agents.
  size_t size() const { return agents_.size(); }
  /// The number of tracked agents in `state`.
  size_t count(health_state state) const { return by_state_[static_cast<size_t>(state)]; }
  /// The view of every agent at `now`, sorted by name.
  health_view view(time_point now) const;
  /// Forgets every agent (the monitor is gone).
  void clear();

private:
  using detector = std::variant<deadline_detector, phi_accrual_detector>;

  struct entry {
    caf::actor handle;
    supervisor_actor supervisor;
    health_state state = health_state::healthy;
    detector watch;
    uint64_t last_seq = 0;
    uint64_t heartbeats = 0;
    uint64_t stuck_reports = 0;
    time_point since;
    std::optional<size_t> slot; // its liveness board slot while it lives
    bool board_watched = false; // tracked with a slot (not by heartbeats)
    bool alive = false;         // its current incarnation has not gone
  };

  detector make_detector() const;
  retired_incarnation retire(entry& e);
  bool suspect(const std::string& name, entry& e, time_point now);
  void change_state(entry& e, health_state s, time_point now);

  health_monitor_config config_;
  std::shared_ptr<liveness_board> board_;
  std::unordered_map<std::string, entry> agents_;
  std::vector<std::pair<const std::string*, entry*>> slot_owners_; // by slot; dense scan
  size_t heartbeat_entries_ = 0;     // entries watched by heartbeats (scanned through agents_)
  std::array<size_t, 5> by_state_{}; // tracked agents by health_state
  int64_t hang_limit_ns_;
  std::vector<suspicion> found_;
};

} // namespace herd
