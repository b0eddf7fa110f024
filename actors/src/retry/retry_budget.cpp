#include "herd/retry/retry_budget.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace herd {

namespace {

double seconds(duration d) {
  return std::chrono::duration<double>(d).count();
}

} // namespace

retry_budget::retry_budget(settings config, time_point now)
    : config_(config), tokens_(config.max_tokens),
      reserve_(std::max(config.min_retries_per_s, 1.0)), last_(now) {
  if (config_.min_retries_per_s <= 0)
    reserve_ = 0;
}

void retry_budget::on_failure() {
  tokens_ = std::max(0.0, tokens_ - 1);
}

void retry_budget::on_success(int32_t count) {
  tokens_ = std::min(config_.max_tokens, tokens_ + config_.token_ratio * count);
}

void retry_budget::top_up(time_point now) {
  if (now <= last_)
    return;
  if (config_.min_retries_per_s > 0)
    reserve_ = std::min(std::max(config_.min_retries_per_s, 1.0),
                        reserve_ + config_.min_retries_per_s * seconds(now - last_));
  last_ = now;
}

bool retry_budget::allows(time_point now) {
  top_up(now);
  return above_threshold() || reserve_ + 1e-9 >= 1;
}

void retry_budget::spend(time_point now) {
  top_up(now);
  if (!above_threshold())
    reserve_ = std::max(0.0, reserve_ - 1);
}

time_point retry_budget::next_allowed(time_point now) {
  if (allows(now))
    return now;
  if (config_.min_retries_per_s <= 0)
    return time_point::max();
  auto wait = std::ceil((1 - reserve_) / config_.min_retries_per_s * 1e9);
  return now + duration{static_cast<duration::rep>(wait)};
}

} // namespace herd
