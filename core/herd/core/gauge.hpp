#pragma once

#include <atomic>
#include <cstdint>

namespace herd {

/// A value that goes up and down (queue depth, state), safe to set from any actor.
class gauge {
public:
  /// Sets the value.
  void set(double x) noexcept { value_.store(x, std::memory_order_relaxed); }
  /// Adds `x` (default 1).
  void inc(double x = 1) noexcept {
    auto cur = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(cur, cur + x, std::memory_order_relaxed)) {
    }
  }
  /// Subtracts `x` (default 1).
  void dec(double x = 1) noexcept { inc(-x); }
  /// The current value.
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<double> value_{0};
};

} // namespace herd
