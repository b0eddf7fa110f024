#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>

#include "herd/core/time.hpp"
#include "herd/retry/backoff_policy.hpp"

namespace herd {

/// Computes retry delays with the formulas of REFERENCES.md ("Exponential Backoff and Jitter",
/// AWS 2015): with `expo(n) = min(cap, base * multiplier^n)` and `n` the failures so far
/// (the first retry uses n = 1), none = 0, fixed = base, exponential = expo(n), full jitter =
/// uniform(0, expo(n)), equal jitter = expo(n)/2 + uniform(0, expo(n)/2), decorrelated jitter
/// = min(cap, uniform(base, 3 * previous)) starting from previous = base. Jitter comes from a
/// seeded generator, so the same seed gives the same delays.
class backoff {
public:
  /// A backoff whose jitter draws from a generator seeded with `seed`, remembering the previous
  /// decorrelated sleep of at most `memory` tasks (more forget them all and restart their
  /// chains from base). Default memory: 100000.
  explicit backoff(uint64_t seed, size_t memory = 100000);

  /// `min(cap, base * multiplier^n)`, without overflow.
  static duration expo(const backoff_policy& policy, int32_t n);

  /// The sleep before the retry that follows failure number `failures` (>= 1) of `task_id`.
  duration next(const backoff_policy& policy, const std::string& task_id, int32_t failures);

  /// Forgets the previous decorrelated sleep of a task that ended.
  void forget(const std::string& task_id);

  /// How many tasks have a remembered decorrelated sleep.
  size_t remembered() const { return previous_.size(); }

private:
  duration uniform(duration low, duration high);

  std::mt19937_64 rng_;
  size_t memory_;
  std::unordered_map<std::string, duration> previous_;
};

} // namespace herd
