#pragma once

#include <cstdint>
#include <random>

#include "herd/core/time.hpp"

namespace herd {

/// Restart backoff as Akka's `restartWithBackoff`: the n-th consecutive restart waits
/// `min(max, min_backoff * 2^n) * (1 + random_factor * u)`, u uniform in [0, 1) drawn from a
/// seeded generator; after a quiet period of `reset_after` since the last start, n is 0 again.
/// Pure logic, fed with actor-clock times.
class restart_backoff {
public:
  /// Default: min 100 ms, max 10 s, random factor 0.2, reset after (min + max) / 2 when
  /// `reset_after` is 0 (as Akka), seed 1.
  explicit restart_backoff(duration min_backoff = from_ms(100),
                           duration max_backoff = from_ms(10000), double random_factor = 0.2,
                           duration reset_after = duration{0}, uint64_t seed = 1);

  /// The delay before the restart decided at `now`; counts the restart.
  duration next(time_point now);
  /// Consecutive restarts counted so far (after a reset: 0).
  int32_t restarts() const { return restarts_; }
  /// The quiet period after which the count resets.
  duration reset_after() const { return reset_after_; }

private:
  duration min_;
  duration max_;
  double random_factor_;
  duration reset_after_;
  std::mt19937_64 rng_;
  int32_t restarts_ = 0;
  time_point last_start_;
  bool any_ = false;
};

} // namespace herd
