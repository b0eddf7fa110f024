#include "herd/core/histogram.hpp"

#include <algorithm>

namespace herd {

histogram::histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i)
    buckets_[i].store(0, std::memory_order_relaxed);
}

void histogram::observe(double x) noexcept {
  auto i = std::lower_bound(bounds_.begin(), bounds_.end(), x) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  auto cur = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(cur, cur + x, std::memory_order_relaxed)) {
  }
}

std::vector<uint64_t> histogram::bucket_counts() const {
  std::vector<uint64_t> result;
  for (size_t i = 0; i <= bounds_.size(); ++i)
    result.push_back(buckets_[i].load(std::memory_order_relaxed));
  return result;
}

std::vector<double> histogram::latency_bounds() {
  return {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

} // namespace herd
