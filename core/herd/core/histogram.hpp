#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace herd {

/// Counts observations into cumulative buckets (Prometheus style), safe from any actor.
class histogram {
public:
  /// A histogram with ascending upper bounds; an implicit +Inf bucket follows them.
  explicit histogram(std::vector<double> upper_bounds);

  /// Records one observation.
  void observe(double x) noexcept;

  /// The upper bounds, without +Inf.
  const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
  /// Observations per bucket (not cumulative); the last entry is the +Inf bucket.
  std::vector<uint64_t> bucket_counts() const;
  /// How many observations there were.
  uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  /// The sum of all observations.
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

  /// Default bounds for latencies in seconds: 1 ms .. 60 s.
  static std::vector<double> latency_bounds();

private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

} // namespace herd
