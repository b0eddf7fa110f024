#include "herd/supervision/restart_backoff.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace herd {

restart_backoff::restart_backoff(duration min_backoff, duration max_backoff, double random_factor,
                                 duration reset_after, uint64_t seed)
    : min_(min_backoff), max_(max_backoff), random_factor_(random_factor),
      reset_after_(reset_after.count() > 0 ? reset_after : (min_backoff + max_backoff) / 2),
      rng_(seed) {
  if (min_.count() < 0 || max_ < min_)
    throw std::invalid_argument("restart_backoff: need 0 <= min_backoff <= max_backoff");
  if (random_factor_ < 0.0)
    throw std::invalid_argument("restart_backoff: random_factor must be >= 0");
}

duration restart_backoff::next(time_point now) {
  if (any_ && now - last_start_ >= reset_after_)
    restarts_ = 0;
  // min * 2^n, capped at max; past 2^40 the cap applies anyway.
  double base = static_cast<double>(min_.count());
  double capped = restarts_ >= 40 ? static_cast<double>(max_.count())
                                  : std::min(static_cast<double>(max_.count()),
                                             base * std::ldexp(1.0, restarts_));
  std::uniform_real_distribution<double> u{0.0, 1.0};
  double jittered = capped * (1.0 + random_factor_ * u(rng_));
  auto delay = duration{static_cast<duration::rep>(jittered)};
  ++restarts_;
  last_start_ = now + delay;
  any_ = true;
  return delay;
}

} // namespace herd
