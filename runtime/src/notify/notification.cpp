#include "herd/notify/notification.hpp"

#include "herd/core/wall_time.hpp"

namespace herd {

nlohmann::json notification::body(webhook_format format) const {
  auto event = to_string(kind);
  auto at = format_utc(at_ms);
  if (format == webhook_format::slack) {
    auto line = "[herd] " + event;
    if (!subject.empty())
      line += " " + subject;
    return {{"text", line + ": " + text + " (" + at + ")"}};
  }
  return {{"event", event}, {"subject", subject}, {"text", text}, {"at", at}, {"details", details}};
}

std::string to_string(webhook_format x) {
  return x == webhook_format::slack ? "slack" : "json";
}

} // namespace herd
