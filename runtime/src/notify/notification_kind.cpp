#include "herd/notify/notification_kind.hpp"

namespace herd {

std::string to_string(notification_kind x) {
  switch (x) {
  case notification_kind::escalation:
    return "escalation";
  case notification_kind::dead_letter_depth:
    return "dead_letter_depth";
  case notification_kind::isolation:
    return "isolation";
  case notification_kind::budget_exhausted:
    return "budget_exhausted";
  case notification_kind::breaker_open:
    return "breaker_open";
  }
  return "unknown";
}

std::optional<notification_kind> parse_notification_kind(std::string_view name) {
  for (auto kind : all_notification_kinds())
    if (to_string(kind) == name)
      return kind;
  return std::nullopt;
}

const std::vector<notification_kind>& all_notification_kinds() {
  static const std::vector<notification_kind> kinds{
      notification_kind::escalation, notification_kind::dead_letter_depth,
      notification_kind::isolation, notification_kind::budget_exhausted,
      notification_kind::breaker_open};
  return kinds;
}

} // namespace herd
