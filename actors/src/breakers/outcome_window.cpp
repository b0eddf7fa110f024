#include "herd/breakers/outcome_window.hpp"

namespace herd {

namespace {

constexpr uint8_t failed_bit = 1;
constexpr uint8_t slow_bit = 2;
constexpr uint8_t used_bit = 4;

} // namespace

outcome_window::outcome_window(const breaker_policy& policy)
    : kind_(policy.window_kind), width_(policy.window_duration / policy.window_buckets) {
  if (kind_ == breaker_window_kind::count)
    ring_.assign(static_cast<size_t>(policy.window_size), 0);
  else
    buckets_.resize(static_cast<size_t>(policy.window_buckets));
  if (width_ <= duration{0})
    width_ = duration{1};
}

void outcome_window::record(time_point now, bool failed, bool slow) {
  if (kind_ == breaker_window_kind::count) {
    auto& slot = ring_[next_];
    if (slot & used_bit) {
      --ring_sum_.calls;
      ring_sum_.failures -= (slot & failed_bit) ? 1 : 0;
      ring_sum_.slow -= (slot & slow_bit) ? 1 : 0;
    }
    slot = static_cast<uint8_t>(used_bit | (failed ? failed_bit : 0) | (slow ? slow_bit : 0));
    ++ring_sum_.calls;
    ring_sum_.failures += failed ? 1 : 0;
    ring_sum_.slow += slow ? 1 : 0;
    next_ = (next_ + 1) % ring_.size();
    return;
  }
  auto epoch = now.time_since_epoch() / width_;
  auto& b = buckets_[static_cast<size_t>(epoch) % buckets_.size()];
  if (b.epoch != epoch) {
    b.epoch = epoch;
    b.sum = {};
  }
  ++b.sum.calls;
  b.sum.failures += failed ? 1 : 0;
  b.sum.slow += slow ? 1 : 0;
}

window_totals outcome_window::totals(time_point now) {
  if (kind_ == breaker_window_kind::count)
    return ring_sum_;
  expire(now);
  window_totals result;
  for (auto& b : buckets_) {
    result.calls += b.sum.calls;
    result.failures += b.sum.failures;
    result.slow += b.sum.slow;
  }
  return result;
}

void outcome_window::clear() {
  std::fill(ring_.begin(), ring_.end(), uint8_t{0});
  next_ = 0;
  ring_sum_ = {};
  for (auto& b : buckets_)
    b = bucket{};
}

void outcome_window::expire(time_point now) {
  auto oldest = now.time_since_epoch() / width_ - static_cast<int64_t>(buckets_.size()) + 1;
  for (auto& b : buckets_)
    if (b.epoch < oldest)
      b = bucket{};
}

} // namespace herd
