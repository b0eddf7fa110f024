#pragma once

#include <cstdint>
#include <optional>
#include <random>

#include "herd/breakers/breaker_policy.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// How long a circuit breaker stays open: `open_duration * open_multiplier^k` for its k-th
/// consecutive opening, capped at `max_open_duration`, spread by `open_jitter` from a seeded
/// generator. Staying closed for `open_reset_after` starts the count over.
class open_duration {
public:
  /// Durations for `policy`, with jitter drawn from a generator seeded with `seed`.
  open_duration(const breaker_policy& policy, uint64_t seed);

  /// The duration of an opening that starts at `now`; counts the opening.
  duration next(time_point now);
  /// The breaker closed at `now`.
  void closed(time_point now);
  /// Forgets earlier openings (a manual reset).
  void reset();
  /// Takes new parameters; keeps the count of openings.
  void reconfigure(const breaker_policy& policy);
  /// Consecutive openings so far.
  int32_t openings() const { return openings_; }

private:
  duration base_;
  double multiplier_;
  duration cap_;
  double jitter_;
  duration reset_after_;
  int32_t openings_ = 0;
  std::optional<time_point> closed_at_;
  std::mt19937_64 rng_;
};

} // namespace herd
