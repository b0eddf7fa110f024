#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "herd/notify/notification_kind.hpp"

namespace herd {

/// How a webhook wants its body: herd's JSON form or Slack's `{"text": ...}`.
enum class webhook_format : uint8_t {
  /// {"event", "subject", "text", "at", "details"}.
  json,
  /// {"text": "[herd] <event> <subject>: <text>"}, what Slack's incoming webhooks take.
  slack,
};

/// One event a person should hear about, before it is formatted for a webhook. It carries no
/// secrets: task payloads and header values never enter it.
struct notification {
  /// What happened.
  notification_kind kind = notification_kind::escalation;
  /// What it concerns: a task id, an agent, a service, a budget subject. Default: "".
  std::string subject;
  /// A sentence for a person. Default: "".
  std::string text;
  /// Facts for machines (depth, threshold, reason, ...). Default: an empty object.
  nlohmann::json details = nlohmann::json::object();
  /// When it happened, wall-clock UTC ms since the Unix epoch. Default: 0.
  int64_t at_ms = 0;

  /// The body a webhook of `format` receives: for json {"event", "subject", "text", "at"
  /// (ISO-8601 UTC), "details"}; for slack {"text": "[herd] <event> <subject>: <text> (<at>)"}.
  nlohmann::json body(webhook_format format) const;
};

/// The format's name: "json" or "slack".
std::string to_string(webhook_format x);

} // namespace herd
