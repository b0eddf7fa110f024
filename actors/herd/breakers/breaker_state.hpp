#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herd {

/// The states of a circuit breaker.
enum class breaker_state : uint8_t {
  /// Calls pass; outcomes are recorded and may trip the breaker.
  closed,
  /// Calls fail fast with `circuit_open` until the open duration ends.
  open,
  /// A limited number of probe calls pass; their outcomes close or reopen the breaker.
  half_open,
  /// Held open by an operator: every call fails fast.
  forced_open,
  /// Switched off: every call passes and nothing is recorded.
  disabled,
  /// Calls pass and are recorded, but the breaker never trips.
  metrics_only,
};

/// The state's name, e.g. "half_open".
std::string to_string(breaker_state x);

/// Parses a state name; empty if unknown.
std::optional<breaker_state> parse_breaker_state(std::string_view name);

} // namespace herd
