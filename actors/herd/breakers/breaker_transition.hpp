#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

#include "herd/breakers/breaker_state.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// A circuit breaker changed state; published to the breaker's subscribers (the retry
/// scheduler, metrics, logs) exactly once per transition, as a message of this type alone.
struct breaker_transition {
  /// The breaker's key: the service name, or "agent/service" for per-agent breakers.
  std::string key;
  /// The service behind the breaker.
  std::string service;
  /// The state before.
  breaker_state from = breaker_state::closed;
  /// The state after.
  breaker_state to = breaker_state::closed;
  /// Counts transitions of this breaker; outcomes of calls permitted in an earlier generation
  /// are ignored.
  uint64_t generation = 0;
  /// When the breaker will let the next probe through (open states), else zero.
  duration until_probe{0};
  /// When it happened, on the actor clock.
  time_point at;
};

/// Makes `breaker_transition` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, breaker_transition& x) {
  return f(caf::meta::type_name("herd::breaker_transition"), x.key, x.service, x.from, x.to,
           x.generation, x.until_probe, x.at);
}

} // namespace herd
