#pragma once

#include <cstdint>
#include <vector>

#include "herd/breakers/breaker_policy.hpp"
#include "herd/breakers/breaker_state.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/breakers/open_duration.hpp"
#include "herd/breakers/outcome_window.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// The answer of a circuit breaker to "may I call the service now?".
struct breaker_permit {
  /// True if the call may go to the service.
  bool permitted = false;
  /// True if the call is a half-open probe.
  bool probe = false;
  /// The breaker's generation when the call was permitted; a result from another generation
  /// belongs to an earlier state and is ignored.
  uint64_t generation = 0;
  /// When the call was permitted.
  time_point started;
  /// How long to wait for the service's answer before failing the call as a timeout.
  duration timeout{0};
  /// When rejected: how long until the breaker will let a probe through (0 when unknown).
  duration retry_after{0};
};

/// The circuit breaker state machine, without actors: fed with the actor clock's time, it
/// permits or rejects calls, records their results, trips, probes, closes and reports each
/// transition once. Every transition starts a new generation; a permit carries its generation,
/// so results of calls permitted before a transition (stale results) change nothing.
class breaker_machine {
public:
  /// A closed breaker with `policy`; jitter is drawn from a generator seeded with `seed`.
  breaker_machine(breaker_policy policy, uint64_t seed);

  // -- calls ------------------------------------------------------------------------------------

  /// Permits or rejects a call at `now` (an open breaker whose time is up turns half-open).
  breaker_permit try_acquire(time_point now);
  /// Records the result of a permitted call at `now`; `failed` = a failure the policy records.
  /// Returns false when the result was not counted (stale, disabled, or not permitted).
  bool on_result(const breaker_permit& permit, time_point now, bool failed);
  /// Applies time-driven transitions due at `now`: open -> half_open when the open duration is
  /// over; half_open -> open when no verdict came within max_half_open of the first probe (an
  /// idle half-open breaker waits for traffic, so an idle breaker has no timer).
  void on_timer(time_point now);
  /// When `on_timer` next has something to do; time_point::max() if never.
  time_point next_deadline() const;

  // -- control ----------------------------------------------------------------------------------

  /// Moves to `to` by hand (any state); nothing happens if the breaker is already there.
  void transition_to(breaker_state to, time_point now);
  /// Closes the breaker and forgets its window and earlier openings.
  void reset(time_point now);
  /// Replaces the policy at run time: keeps the state, starts a fresh window.
  void reconfigure(breaker_policy policy, time_point now);

  // -- properties -------------------------------------------------------------------------------

  /// The current state.
  breaker_state state() const { return state_; }
  /// The current generation (counts transitions).
  uint64_t generation() const { return generation_; }
  /// The policy.
  const breaker_policy& policy() const { return policy_; }
  /// The window's totals at `now`.
  window_totals totals(time_point now) { return window_.totals(now); }
  /// Failures in a row, in closed and metrics_only.
  int32_t consecutive_failures() const { return consecutive_; }
  /// Time until the next probe may pass at `now` (open), else 0.
  duration until_probe(time_point now) const;
  /// Consecutive openings (decides the next open duration).
  int32_t openings() const { return open_.openings(); }
  /// The transitions since the last call, oldest first; clears them.
  std::vector<breaker_transition> take_transitions();

private:
  void move_to(breaker_state to, time_point now);
  bool should_trip(time_point now);
  void judge_probes(time_point now);

  breaker_policy policy_;
  outcome_window window_;
  open_duration open_;
  breaker_state state_ = breaker_state::closed;
  uint64_t generation_ = 0;
  int32_t consecutive_ = 0;
  time_point open_until_;
  time_point half_open_until_;
  int32_t probes_permitted_ = 0;
  int32_t probe_successes_ = 0;
  int32_t probe_failures_ = 0;
  int32_t probe_slow_ = 0;
  std::vector<breaker_transition> transitions_;
};

} // namespace herd
