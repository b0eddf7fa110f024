#include "herd/retry/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace herd {

backoff::backoff(uint64_t seed, size_t memory) : rng_(seed), memory_(std::max(memory, size_t{1})) {}

duration backoff::expo(const backoff_policy& policy, int32_t n) {
  auto cap = static_cast<double>(policy.cap.count());
  auto value = static_cast<double>(policy.base.count()) * std::pow(policy.multiplier, n);
  if (!(value < cap)) // also catches inf
    return policy.cap;
  return duration{static_cast<duration::rep>(value)};
}

duration backoff::uniform(duration low, duration high) {
  if (high <= low)
    return low;
  std::uniform_int_distribution<duration::rep> pick{low.count(), high.count()};
  return duration{pick(rng_)};
}

duration backoff::next(const backoff_policy& policy, const std::string& task_id, int32_t failures) {
  auto n = std::max(failures, int32_t{1});
  switch (policy.kind) {
  case backoff_kind::none:
    return duration{0};
  case backoff_kind::fixed:
    return policy.base;
  case backoff_kind::exponential:
    return expo(policy, n);
  case backoff_kind::full_jitter:
    return uniform(duration{0}, expo(policy, n));
  case backoff_kind::equal_jitter: {
    auto half = expo(policy, n) / 2;
    return half + uniform(duration{0}, half);
  }
  case backoff_kind::decorrelated_jitter: {
    auto i = previous_.find(task_id);
    auto previous = i != previous_.end() ? i->second : policy.base;
    auto sleep = std::min(policy.cap, uniform(policy.base, std::max(policy.base, 3 * previous)));
    if (i != previous_.end()) {
      i->second = sleep;
    } else {
      if (previous_.size() >= memory_)
        previous_.clear();
      previous_.emplace(task_id, sleep);
    }
    return sleep;
  }
  }
  return duration{0};
}

void backoff::forget(const std::string& task_id) {
  previous_.erase(task_id);
}

} // namespace herd
