#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"
#include "herd/http/http_endpoint.hpp"
#include "herd/http/http_service_config.hpp"
#include "herd/notify/notification.hpp"
#include "herd/notify/notification_kind.hpp"

namespace herd {

class json_reader;

/// One notification webhook, an element of `notifications.webhooks` in the runtime config:
/// {"name", "url" or "url_env", "events": [...], "format": "json"|"slack", "headers_env": {Header:
/// ENV_VAR},
///  "breaker_open_after_ms", "dead_letter_depth_threshold", "queue_capacity", "timeout_ms",
///  "connect_timeout_ms"}. One of `url` and `url_env` is required. Header values (and the URL
/// with `url_env`, as Slack's URLs are secrets) are read from the environment when the file is
/// read and held in memory only: `to_json`, logs, metrics, dead letters and errors name the
/// variables, never their values.
struct webhook_config {
  /// Reads an environment variable: its value, or nothing when unset.
  using env_lookup = http_service_config::env_lookup;

  /// The webhook's name in metrics, logs and its service "webhook:<name>" (letters, digits,
  /// '_', '-', '.'). Default: its index in the list.
  std::string name;
  /// Where the POST goes, exactly: an http:// or https:// URL with a host, without query.
  /// Required unless `url_env` is set.
  std::string url;
  /// The environment variable holding the URL instead (then `url` is its value, secret).
  /// Default: "".
  std::string url_env;
  /// The events it receives. Default: every kind.
  std::vector<notification_kind> events = all_notification_kinds();
  /// The body's form. Default: json.
  webhook_format format = webhook_format::json;
  /// Headers whose values come from environment variables: (header, variable), in name order.
  /// Default: none.
  std::vector<std::pair<std::string, std::string>> headers_env;
  /// The values of `headers_env`, read at load time: (header, value). Secret. Default: none.
  std::vector<std::pair<std::string, std::string>> headers;
  /// How long a breaker must stay open before it is reported. Default: 60000 ms.
  duration breaker_open_after = from_ms(60000);
  /// The dead-letter depth that raises an alert (again only after the depth fell below).
  /// Default: 100.
  int64_t dead_letter_depth_threshold = 100;
  /// Notifications of this webhook pending delivery at most (retries included); one more is
  /// dead-lettered at once, with the reason. Default: 100.
  int64_t queue_capacity = 100;
  /// Longest time for one POST (a hanging endpoint fails the attempt as a timeout). Default:
  /// 5000 ms.
  duration timeout = from_ms(5000);
  /// Longest time to connect. Default: 2000 ms.
  duration connect_timeout = from_ms(2000);

  /// True if it receives `kind`.
  bool wants(notification_kind kind) const;
  /// The name of its HTTP service: "webhook:<name>".
  std::string service_name() const;
  /// Where its POSTs go: `url` as the base URL, `headers`, the timeouts and a 64 KiB response
  /// limit.
  http_endpoint endpoint() const;

  /// Reads the JSON form; `index` is its place in the list (the default name). Throws
  /// `config_error` naming the JSON path of a bad field, also when a header's variable is unset
  /// (the error names the variable). `env` defaults to `std::getenv`.
  static webhook_config from_json(const json_reader& in, size_t index, const env_lookup& env = {});
  /// The JSON form: `headers_env` names the variables; the values are never shown.
  nlohmann::json to_json() const;
};

} // namespace herd
