#pragma once

#include <cstdint>

#include "herd/admission/admission_policy.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// How many calls to one service may be in flight: none, a fixed number, or an adaptive limit
/// that follows latency. The adaptive limit looks at windows of `limit` finished calls: when
/// the service throttled one of them, or their mean latency exceeds `latency_tolerance` times
/// the baseline (the lowest latency seen, allowed to drift up 2% per window), it shrinks by a
/// tenth; when the limit was reached in the window and latency stayed near the baseline, it
/// grows by the square root of the limit (as a TCP Vegas-style limiter does). Plain logic.
class concurrency_limit {
public:
  /// A limit following `policy`'s concurrency settings.
  explicit concurrency_limit(const admission_policy& policy);

  /// True if a call may start with `in_flight` calls running.
  bool allows(int64_t in_flight) const { return in_flight < limit_; }
  /// A call that started with `in_flight_before` others running finished after `latency`;
  /// `throttled` if the service throttled it.
  void on_finished(int64_t in_flight_before, duration latency, bool throttled);

  /// The current limit; INT64_MAX without one.
  int64_t limit() const { return limit_; }
  /// The adaptive limit's latency baseline (0 before the first window or without one).
  duration baseline() const { return baseline_; }

private:
  concurrency_mode mode_;
  int64_t limit_;
  int64_t min_;
  int64_t max_;
  double tolerance_;
  duration baseline_{0};
  int64_t window_calls_ = 0;
  duration window_sum_{0};
  duration window_min_{0};
  bool window_saturated_ = false;
  bool window_throttled_ = false;
};

} // namespace herd
