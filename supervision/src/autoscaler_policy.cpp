#include "herd/supervision/autoscaler_policy.hpp"

#include <algorithm>
#include <cmath>

namespace herd {

autoscaler_policy::autoscaler_policy(autoscaling_config config, int32_t initial)
    : config_(std::move(config)),
      size_(std::clamp(initial, config_.min_agents, config_.max_agents)) {
  // nop
}

bool autoscaler_policy::cooled(time_point now, duration cooldown) const {
  return !last_change_ || now - *last_change_ >= cooldown;
}

scaling_decision autoscaler_policy::sample(time_point now, uint64_t queued, uint64_t busy) {
  scaling_decision result;
  result.size = size_;
  auto target = config_.target_queue_per_agent;
  bool backlog = static_cast<double>(queued) > target * size_;
  bool idle = queued == 0 && busy < static_cast<uint64_t>(size_);
  if (!backlog)
    backlog_since_.reset();
  else if (!backlog_since_)
    backlog_since_ = now;
  if (!idle)
    idle_since_.reset();
  else if (!idle_since_)
    idle_since_ = now;
  if (backlog && now - *backlog_since_ >= config_.scale_up_after && size_ < config_.max_agents &&
      cooled(now, config_.scale_up_cooldown)) {
    auto wanted = static_cast<int64_t>(std::ceil(static_cast<double>(queued) / target));
    auto step = std::clamp<int64_t>(wanted - size_, 1, config_.max_step);
    step = std::min<int64_t>(step, config_.max_agents - size_);
    result.what = scaling_decision::action::grow;
    result.count = static_cast<int32_t>(step);
    result.why = std::to_string(queued) + " tasks queued for " + std::to_string(size_) +
                 " agents (target " + std::to_string(static_cast<int64_t>(target)) +
                 " per agent) for " + std::to_string(to_ms(now - *backlog_since_)) + " ms";
  } else if (idle && now - *idle_since_ >= config_.scale_down_after && size_ > config_.min_agents &&
             cooled(now, config_.scale_down_cooldown)) {
    // The idle agents leave, up to max_step at once, never below min_agents.
    auto idle_agents = static_cast<int64_t>(size_) - static_cast<int64_t>(busy);
    auto step = std::min<int64_t>({idle_agents, size_ - config_.min_agents, config_.max_step});
    result.what = scaling_decision::action::shrink;
    result.count = static_cast<int32_t>(std::max<int64_t>(step, 1));
    result.why = std::to_string(busy) + " of " + std::to_string(size_) +
                 " agents busy, nothing queued, for " + std::to_string(to_ms(now - *idle_since_)) +
                 " ms";
  } else {
    return result;
  }
  size_ += result.what == scaling_decision::action::grow ? result.count : -result.count;
  result.size = size_;
  last_change_ = now;
  backlog_since_.reset();
  idle_since_.reset();
  return result;
}

} // namespace herd
