#pragma once

#include <cstdint>
#include <vector>

#include "herd/breakers/breaker_policy.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// What a window holds: calls, and how many of them failed or were slow.
struct window_totals {
  /// Recorded calls.
  uint64_t calls = 0;
  /// Calls that failed (with a category the policy records).
  uint64_t failures = 0;
  /// Calls slower than the policy's slow-call duration.
  uint64_t slow = 0;

  /// failures / calls, 0 when empty.
  double failure_rate() const { return calls == 0 ? 0.0 : double(failures) / double(calls); }
  /// slow / calls, 0 when empty.
  double slow_rate() const { return calls == 0 ? 0.0 : double(slow) / double(calls); }
};

/// The recent outcomes of a circuit breaker: either the last N calls (a ring) or the calls of the
/// last D of actor-clock time (in B buckets, expiring one bucket at a time). O(1) to record; a
/// time window sums its B buckets to answer.
class outcome_window {
public:
  /// A window shaped by `policy`'s window_kind, window_size, window_duration and window_buckets.
  explicit outcome_window(const breaker_policy& policy);

  /// Records one call that ended at `now`.
  void record(time_point now, bool failed, bool slow);
  /// The totals of the calls still inside the window at `now`.
  window_totals totals(time_point now);
  /// Forgets every call.
  void clear();

private:
  struct bucket {
    int64_t epoch = -1; // which bucket-width slice of the clock it counts; -1 = empty
    window_totals sum;
  };

  void expire(time_point now);

  breaker_window_kind kind_;
  // count window: one byte per call (bit 0 failed, bit 1 slow), running sums
  std::vector<uint8_t> ring_;
  size_t next_ = 0;
  window_totals ring_sum_;
  // time window
  std::vector<bucket> buckets_;
  duration width_;
};

} // namespace herd
