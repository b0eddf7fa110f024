#pragma once

#include <cstdint>

#include "herd/admission/admission_policy.hpp"
#include "herd/admission/rate_source.hpp"
#include "herd/core/published_limit.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// The rate at which one service's calls are admitted: a token bucket whose rate is the
/// smallest of the configured limit, the published limit and the learned rate (see
/// `admission_policy`). Learning is AIMD: a throttle of a call admitted since the last decrease
/// multiplies the rate by `decrease_factor` (a throttle of an older call was already answered);
/// each whole second without a decrease, the rate climbs half-way back to the last rate that worked
/// (at least `increase_share` of it), then, while calls wait for tokens, by `increase_share` of it
/// per second. A service that publishes no requests left pauses admission until its window
/// resets. Plain logic on the actor clock; `admission_controller` drives it.
class admission_rate {
public:
  /// A rate following `policy`, starting at `now` with a full bucket.
  admission_rate(const admission_policy& policy, time_point now);

  /// Takes a token at `now` if a call may be admitted.
  bool try_acquire(time_point now);
  /// When the next call may be admitted (`now` if one may now).
  time_point next_token(time_point now);
  /// The service throttled (429, 503, timeout) at `now` a call admitted at `admitted`.
  void on_throttle(time_point admitted, time_point now);
  /// The service answered at `now`, publishing `limit` (which may be unknown).
  void on_answer(const published_limit& limit, time_point now);
  /// True until the service's first answer (for at most `cold_start` after the start) when its
  /// limit may be published and none is configured: it then gets one call at a time, so a
  /// flood of first calls does not run past a limit it is about to publish.
  bool cold(time_point now) const;

  /// The longest a cold start holds calls back: 1 s.
  static constexpr duration cold_start = std::chrono::seconds(1);
  /// When a cold start ends at the latest.
  time_point cold_until() const { return started_ + cold_start; }

  /// The current rate, calls per second; infinity when unlimited.
  double rate() const;
  /// Where the current rate comes from.
  rate_source source(time_point now) const;
  /// The last rate that worked before the service throttled (0 before any throttle).
  double last_good_rate() const { return good_rate_; }

private:
  void advance(time_point now);
  void end_second();
  double ceiling() const;
  double bucket_size() const;

  admission_policy policy_;
  double published_rate_ = 0;
  /// The learned rate; infinity until the first throttle.
  double learned_;
  double good_rate_ = 0;
  double tokens_ = 1;
  time_point refilled_;
  time_point second_start_;
  int64_t admitted_this_second_ = 0;
  int64_t admitted_last_second_ = 0;
  bool waited_this_second_ = false;
  bool decreased_ = false;
  bool decreased_this_second_ = false;
  bool answered_ = false;
  time_point last_decrease_;
  time_point paused_until_;
  time_point started_;
};

} // namespace herd
