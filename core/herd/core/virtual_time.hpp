#pragma once

#include <cstddef>

#include <caf/actor_system.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include "herd/core/time.hpp"

namespace herd {

/// Drives an actor system that runs on CAF's test coordinator (`scheduler.policy = 'testing'`)
/// through virtual time: messages run to quiescence and timers fire in order of their due time,
/// so tests and simulations cover minutes in milliseconds and repeat exactly.
class virtual_time {
public:
  /// True if `sys` runs on the test coordinator, so a `virtual_time` can drive it.
  static bool drives(caf::actor_system& sys);

  /// Drives `sys`, whose scheduler must be the test coordinator (throws std::logic_error else).
  explicit virtual_time(caf::actor_system& sys);

  /// Runs every pending message (no timers); returns how many ran.
  size_t run();
  /// Moves the clock forward by `d`, firing each timer at its due time and running the
  /// messages it causes before the next; returns how many timers fired.
  size_t advance(duration d);
  /// Jumps to the next timer, fires it and runs its messages; false if no timer is pending.
  bool next_timer();
  /// The current virtual time.
  time_point now() const;
  /// True if a timer is pending.
  bool has_timer() const;
  /// The coordinator.
  caf::scheduler::test_coordinator& coordinator() { return *sched_; }

private:
  caf::scheduler::test_coordinator* sched_;
};

} // namespace herd
