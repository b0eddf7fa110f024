#pragma once

#include <atomic>
#include <cstdint>

namespace herd {

/// A monotonically increasing count, safe to bump from any actor.
class counter {
public:
  /// Adds `n` (default 1).
  void inc(uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  /// The current count.
  uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<uint64_t> value_{0};
};

} // namespace herd
