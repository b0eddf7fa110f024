#pragma once

#include <chrono>
#include <cstdint>

#include <caf/actor_clock.hpp>
#include <caf/timespan.hpp>

namespace herd {

/// A point in time on the actor clock (virtual under the test coordinator).
using time_point = caf::actor_clock::time_point;

/// A duration in nanoseconds.
using duration = caf::timespan;

/// Milliseconds of a duration, rounded down.
inline int64_t to_ms(duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

/// A duration of `ms` milliseconds.
inline duration from_ms(int64_t ms) {
  return std::chrono::milliseconds(ms);
}

/// Milliseconds since the actor clock's epoch, for storage and JSON.
inline int64_t to_epoch_ms(time_point t) {
  return to_ms(t.time_since_epoch());
}

/// The time point `ms` milliseconds after the actor clock's epoch.
inline time_point from_epoch_ms(int64_t ms) {
  return time_point{std::chrono::duration_cast<time_point::duration>(from_ms(ms))};
}

} // namespace herd
