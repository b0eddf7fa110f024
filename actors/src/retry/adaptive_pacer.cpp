#include "herd/retry/adaptive_pacer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace herd {

namespace {

// Floating-point slack: a token that is 1 - 1e-12 after waiting exactly long enough counts.
constexpr double epsilon = 1e-9;

} // namespace

adaptive_pacer::adaptive_pacer(settings config, time_point now)
    : config_(config), rate_(config.initial_rate), tokens_(config.burst), last_(now),
      window_start_(now) {}

void adaptive_pacer::advance(time_point now) {
  if (now <= last_)
    return;
  auto dt = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  // The rate grows linearly until max_rate; the tokens are the integral of the rate.
  auto ramp = config_.increase_per_s > 0 ? (config_.max_rate - rate_) / config_.increase_per_s : dt;
  auto t1 = std::min(dt, std::max(ramp, 0.0));
  auto rate1 = std::min(config_.max_rate, rate_ + config_.increase_per_s * t1);
  auto gained = (rate_ + rate1) / 2 * t1 + rate1 * (dt - t1);
  rate_ = rate1;
  tokens_ = std::min(config_.burst, tokens_ + gained);
  if (now - window_start_ >= config_.decrease_interval) {
    if (failed_releases_ >= std::max(1.0, config_.failure_ratio * released_))
      rate_ = std::max(config_.min_rate, rate_ * config_.decrease_factor);
    window_start_ = now;
    released_ = 0;
    failed_releases_ = 0;
  }
}

bool adaptive_pacer::try_acquire(time_point now) {
  advance(now);
  if (tokens_ + epsilon < 1)
    return false;
  tokens_ = std::max(0.0, tokens_ - 1);
  released_ += 1;
  return true;
}

time_point adaptive_pacer::next_token(time_point now) {
  advance(now);
  if (tokens_ + epsilon >= 1)
    return now;
  // At the current rate; the rate only grows meanwhile, so the token is there by then.
  auto wait = std::ceil((1 - tokens_) / rate_ * 1e9);
  return now + duration{static_cast<duration::rep>(wait)};
}

void adaptive_pacer::on_failure(time_point now) {
  advance(now);
  failed_releases_ += 1;
}

void adaptive_pacer::restart(time_point now) {
  advance(now);
  rate_ = config_.initial_rate;
  tokens_ = std::min(config_.burst, 1.0);
  window_start_ = now;
  released_ = 0;
  failed_releases_ = 0;
}

} // namespace herd
