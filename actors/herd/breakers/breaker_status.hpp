#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/breakers/breaker_state.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// A circuit breaker's state and numbers, as it answers `(breaker_status_atom)`.
struct breaker_status {
  /// The breaker's key.
  std::string key;
  /// The service behind it.
  std::string service;
  /// The current state.
  breaker_state state = breaker_state::closed;
  /// Transitions so far.
  uint64_t generation = 0;
  /// Calls in the window.
  uint64_t window_calls = 0;
  /// Failure rate of the window, 0..1.
  double failure_rate = 0;
  /// Slow-call rate of the window, 0..1.
  double slow_call_rate = 0;
  /// Failures in a row.
  int32_t consecutive_failures = 0;
  /// Calls forwarded to the service since the breaker started.
  uint64_t forwarded = 0;
  /// Calls rejected since the breaker started.
  uint64_t rejected = 0;
  /// Time until the next probe may pass (open), else 0.
  duration until_probe{0};
  /// Consecutive openings.
  int32_t openings = 0;
};

/// JSON form with the same keys (durations in milliseconds, state by name).
void to_json(nlohmann::json& j, const breaker_status& x);

/// Makes `breaker_status` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, breaker_status& x) {
  return f(caf::meta::type_name("herd::breaker_status"), x.key, x.service, x.state, x.generation,
           x.window_calls, x.failure_rate, x.slow_call_rate, x.consecutive_failures, x.forwarded,
           x.rejected, x.until_probe, x.openings);
}

} // namespace herd
