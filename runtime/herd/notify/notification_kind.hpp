#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herd {

/// What a notification webhook is told about (docs/notifications.md).
enum class notification_kind : uint8_t {
  /// A task was handed to a person (the escalation queue stored it).
  escalation,
  /// The dead-letter queue's depth reached a webhook's threshold.
  dead_letter_depth,
  /// The health monitor or a supervisor isolated an agent.
  isolation,
  /// A cost budget (runtime, pool or task) reached its hard limit.
  budget_exhausted,
  /// A circuit breaker stayed open longer than a webhook's threshold.
  breaker_open,
};

/// The kind's name as in the configuration, e.g. "dead_letter_depth".
std::string to_string(notification_kind x);

/// Parses a kind's name; empty if unknown.
std::optional<notification_kind> parse_notification_kind(std::string_view name);

/// Every kind, in declaration order.
const std::vector<notification_kind>& all_notification_kinds();

} // namespace herd
