#include "herd/breakers/open_duration.hpp"

#include <algorithm>
#include <cmath>

namespace herd {

open_duration::open_duration(const breaker_policy& policy, uint64_t seed) : rng_(seed) {
  reconfigure(policy);
}

duration open_duration::next(time_point now) {
  if (closed_at_ && now - *closed_at_ >= reset_after_)
    openings_ = 0;
  closed_at_.reset();
  auto cap = std::chrono::duration<double, std::nano>(cap_).count();
  auto d = std::min(cap, std::chrono::duration<double, std::nano>(base_).count() *
                             std::pow(multiplier_, openings_));
  if (jitter_ > 0)
    d *= std::uniform_real_distribution<double>(1.0 - jitter_, 1.0 + jitter_)(rng_);
  if (openings_ < 1000) // beyond any cap; keeps the count from overflowing
    ++openings_;
  return duration{static_cast<duration::rep>(std::min(d, cap))};
}

void open_duration::closed(time_point now) {
  closed_at_ = now;
}

void open_duration::reset() {
  openings_ = 0;
  closed_at_.reset();
}

void open_duration::reconfigure(const breaker_policy& policy) {
  base_ = policy.open_duration;
  multiplier_ = policy.open_multiplier;
  cap_ = policy.max_open_duration;
  jitter_ = policy.open_jitter;
  reset_after_ = policy.open_reset_after;
}

} // namespace herd
