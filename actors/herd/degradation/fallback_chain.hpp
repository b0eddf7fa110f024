#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/failure.hpp"
#include "herd/core/failure_category.hpp"
#include "herd/core/time.hpp"
#include "herd/degradation/fallback_tier.hpp"

namespace herd {

class json_reader;

/// The fallback chain of one task kind: ordered tiers tried one after the other, and when to
/// move from one to the next. A chain is a list, not a graph: the only cycle it can have is a
/// tier repeated, which is refused.
///
/// JSON: {"tiers": [TIER, ...], "move_on": [CATEGORY, ...], "max_rate_limit_wait_ms": 10000,
/// "attempts_per_tier": 2, "park_when_unavailable": true, "recheck_ms": 1000}.
struct fallback_chain {
  /// The tiers, best first; at least one. Default: none.
  std::vector<fallback_tier> tiers;
  /// Failure categories that move the chain on at once. Default: unavailable, timeout,
  /// circuit_open, rate_limited (only with a wait above `max_rate_limit_wait`), context_window,
  /// content_policy.
  std::vector<failure_category> move_on = {
      failure_category::unavailable,    failure_category::timeout,
      failure_category::circuit_open,   failure_category::rate_limited,
      failure_category::context_window, failure_category::content_policy};
  /// A rate limit whose wait (retry-after) is longer than this moves on; a shorter one, or one
  /// without a wait, is retried on the same tier. Default: 10 s.
  duration max_rate_limit_wait = from_ms(10000);
  /// Attempts on a service tier before moving on, unless the tier says otherwise. Default: 2.
  int32_t attempts_per_tier = 2;
  /// When every remaining tier is unavailable, park the task until the earliest one may be
  /// back (bounded by its deadline) instead of giving up. Default: true.
  bool park_when_unavailable = true;
  /// How long to park for a tier that is unavailable without a known time (a full admission
  /// queue). Default: 1 s.
  duration recheck = from_ms(1000);

  /// True if `why` moves the chain to the next tier.
  bool moves_on(const failure& why) const;
  /// The attempts allowed on tier `index`: 1 for a rule, the tier's own or `attempts_per_tier`
  /// for a service, 0 for a human (a hand-off, not an attempt).
  int32_t attempts_on(size_t index) const;

  /// Reads a chain; `services` are the names of the known services. Throws `config_error`
  /// naming the JSON path of: an empty chain, a tier naming an unknown service, a tier
  /// repeated (a cycle), two tiers with one label, a tier after a human tier (never reached),
  /// an unknown category, a count below 1.
  static fallback_chain from_json(const json_reader& in, const std::set<std::string>& services);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
