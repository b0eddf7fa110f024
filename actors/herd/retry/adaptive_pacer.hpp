#pragma once

#include "herd/core/time.hpp"

namespace herd {

/// Paces the retries released to one service with a token bucket whose rate adapts by AIMD:
/// the rate grows by `increase_per_s` every second (additive increase) and is multiplied by
/// `decrease_factor` after each `decrease_interval` in which the failures reported were at least
/// `failure_ratio` of the releases (multiplicative decrease, at most once per interval, as TCP
/// reduces once per round trip), within [min_rate, max_rate]. A few failures among many
/// releases do not slow it; a service that fails what it is sent does. `restart()` (a breaker
/// half-opens or closes after being open) drops the rate to `initial_rate` with one token, so the
/// service sees a ramp.
class adaptive_pacer {
public:
  /// The pacer's tunables (rates in releases per second).
  struct settings {
    /// The rate of a new service and after `restart()`. Default: 100/s.
    double initial_rate = 100;
    /// The lowest rate. Default: 1/s.
    double min_rate = 1;
    /// The highest rate. Default: 1000/s.
    double max_rate = 1000;
    /// Additive increase per second without failures. Default: 5/s per second.
    double increase_per_s = 5;
    /// Multiplicative decrease, in (0, 1]. Default: 0.5.
    double decrease_factor = 0.5;
    /// The share of an interval's releases that must fail (at least one) to decrease.
    /// Default: 0.5.
    double failure_ratio = 0.5;
    /// How often the decrease is decided. Default: 1 s.
    duration decrease_interval = from_ms(1000);
    /// Releases that may go back to back (the bucket's size). Default: 5.
    double burst = 5;
  };

  /// A pacer at `initial_rate` with a full bucket at `now`.
  adaptive_pacer(settings config, time_point now);

  /// Takes a token at `now` if there is one.
  bool try_acquire(time_point now);
  /// When the next token will be there (`now` if there is one).
  time_point next_token(time_point now);
  /// A failure of a paced call at `now`; counts toward the decrease of its interval.
  void on_failure(time_point now);
  /// Back to `initial_rate` with a single token (after the service was unavailable).
  void restart(time_point now);

  /// The current rate, releases per second.
  double rate() const { return rate_; }
  /// The tokens in the bucket.
  double tokens() const { return tokens_; }

private:
  void advance(time_point now);

  settings config_;
  double rate_;
  double tokens_;
  time_point last_;
  time_point window_start_;
  double released_ = 0;
  double failed_releases_ = 0;
};

} // namespace herd
