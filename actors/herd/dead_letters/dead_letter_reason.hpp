#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herd {

/// Why a task ended in the dead-letter queue.
enum class dead_letter_reason : uint8_t {
  /// It ran out of attempts or its retry deadline passed.
  exhausted,
  /// It failed in a way its policy does not retry (e.g. permanent).
  non_retryable,
  /// The service's retry budget was spent and the policy says not to wait.
  budget_exhausted,
  /// An escalation was not answered in time.
  escalation_timeout,
  /// It was replayed too often and keeps failing.
  poison,
  /// It was handed back unfinished at shutdown.
  handed_back,
  /// It was refused before it ran: a bounded queue in front of it was full (a notification
  /// webhook's queue), or the dispatcher refused it.
  overflow,
};

/// The reason's name, e.g. "non_retryable".
std::string to_string(dead_letter_reason x);

/// Parses a reason name; empty if unknown.
std::optional<dead_letter_reason> parse_dead_letter_reason(std::string_view name);

} // namespace herd
