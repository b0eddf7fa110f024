#include "herd/admission/concurrency_limit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace herd {

concurrency_limit::concurrency_limit(const admission_policy& policy)
    : mode_(policy.concurrency), limit_(std::numeric_limits<int64_t>::max()),
      min_(policy.min_concurrency), max_(policy.max_concurrency),
      tolerance_(policy.latency_tolerance) {
  if (mode_ == concurrency_mode::fixed)
    limit_ = policy.concurrency_limit;
  else if (mode_ == concurrency_mode::adaptive)
    limit_ = std::clamp(policy.concurrency_limit, min_, max_);
}

void concurrency_limit::on_finished(int64_t in_flight_before, duration latency, bool throttled) {
  if (mode_ != concurrency_mode::adaptive)
    return;
  window_sum_ += latency;
  window_min_ = window_calls_ == 0 ? latency : std::min(window_min_, latency);
  window_saturated_ = window_saturated_ || in_flight_before + 1 >= limit_;
  window_throttled_ = window_throttled_ || throttled;
  if (++window_calls_ < limit_)
    return;
  auto mean = window_sum_ / window_calls_;
  if (baseline_ == duration{0})
    baseline_ = window_min_;
  else
    baseline_ = std::min(window_min_, duration{static_cast<int64_t>(baseline_.count() * 1.02)});
  auto slow = mean.count() > tolerance_ * static_cast<double>(baseline_.count());
  if (window_throttled_ || slow)
    limit_ = std::max(min_, limit_ - std::max<int64_t>(1, limit_ / 10));
  else if (window_saturated_)
    limit_ = std::min(max_, limit_ + std::max<int64_t>(1, std::llround(std::sqrt(limit_))));
  window_calls_ = 0;
  window_sum_ = duration{0};
  window_saturated_ = false;
  window_throttled_ = false;
}

} // namespace herd
