#pragma once

#include <atomic>
#include <cstdint>

namespace herd {

/// A monotonically increasing count, safe to bump from any actor: whole events with `inc`
/// (one atomic add), amounts such as dollars with `add`.
class counter {
public:
  /// Adds `n` (default 1).
  void inc(uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  /// Adds `amount` (ignored unless > 0: a counter never goes down).
  void add(double amount) noexcept {
    if (!(amount > 0))
      return;
    auto cur = amount_.load(std::memory_order_relaxed);
    while (!amount_.compare_exchange_weak(cur, cur + amount, std::memory_order_relaxed)) {
    }
  }
  /// The count of `inc` calls (their `n`s); `add` amounts are in `total` only.
  uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }
  /// The amounts added with `add`. Default: 0.
  double amount() const noexcept { return amount_.load(std::memory_order_relaxed); }
  /// `value() + amount()`: what the counter exposes.
  double total() const noexcept { return static_cast<double>(value()) + amount(); }

private:
  std::atomic<uint64_t> value_{0};
  std::atomic<double> amount_{0};
};

} // namespace herd
