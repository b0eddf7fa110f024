#include "herd/notify/webhook_config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/http/http_endpoint.hpp"

namespace herd {

namespace {

std::optional<std::string> read_env(const webhook_config::env_lookup& env,
                                    const std::string& variable) {
  if (env)
    return env(variable);
  if (const char* text = std::getenv(variable.c_str()))
    return std::string{text};
  return std::nullopt;
}

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

} // namespace

bool webhook_config::wants(notification_kind kind) const {
  return std::find(events.begin(), events.end(), kind) != events.end();
}

std::string webhook_config::service_name() const {
  return "webhook:" + name;
}

http_endpoint webhook_config::endpoint() const {
  http_endpoint result;
  result.base_url = url;
  result.headers = headers;
  result.connect_timeout = connect_timeout;
  result.total_timeout = timeout;
  result.max_response_bytes = 65536; // an acknowledgement, not a document
  return result;
}

webhook_config webhook_config::from_json(const json_reader& in, size_t index,
                                         const env_lookup& env) {
  in.only_keys({"name", "url", "url_env", "events", "format", "headers_env",
                "breaker_open_after_ms", "dead_letter_depth_threshold", "queue_capacity",
                "timeout_ms", "connect_timeout_ms"});
  webhook_config result;
  result.name = in.string("name", std::to_string(index));
  if (!valid_name(result.name))
    in.fail("name", "a name of letters, digits, '_', '-' or '.'");
  result.url_env = in.string("url_env", "");
  if (in.has("url") == !result.url_env.empty())
    in.fail("url", "either \"url\" or \"url_env\" (an environment variable holding the URL)");
  if (result.url_env.empty()) {
    result.url = in.string("url", "");
  } else {
    auto value = read_env(env, result.url_env);
    if (!value || value->empty())
      throw config_error(in.path_of("url_env"),
                         "environment variable " + result.url_env + " is not set");
    result.url = std::move(*value);
  }
  // url_problem's sentences never quote the URL, which may be a secret.
  if (auto problem = http_endpoint::url_problem(result.url))
    throw config_error(in.path_of(result.url_env.empty() ? "url" : "url_env"), *problem);
  if (in.has("events")) {
    auto events = in.at("events");
    if (!events.value().is_array() || events.value().empty())
      in.fail("events", "a non-empty array of event names");
    result.events.clear();
    for (auto& element : events.elements()) {
      std::string known;
      for (auto kind : all_notification_kinds())
        known += (known.empty() ? "" : ", ") + to_string(kind);
      auto name = element.value().is_string() ? element.value().get<std::string>() : "";
      auto kind = parse_notification_kind(name);
      if (!kind)
        element.fail("one of " + known);
      if (!result.wants(*kind))
        result.events.push_back(*kind);
    }
  }
  result.format = in.choice("format", "json", {"json", "slack"}) == "slack" ? webhook_format::slack
                                                                            : webhook_format::json;
  if (in.has("headers_env")) {
    result.headers_env = http_endpoint::headers_from_json(in, "headers_env");
    auto headers = in.at("headers_env");
    for (auto& [header, variable] : result.headers_env) {
      if (variable.empty())
        headers.fail(header, "the name of an environment variable");
      auto value = read_env(env, variable);
      if (!value || value->empty())
        throw config_error(headers.path_of(header),
                           "environment variable " + variable + " is not set");
      if (value->find_first_of("\r\n") != std::string::npos)
        throw config_error(headers.path_of(header),
                           "environment variable " + variable + " holds a line break");
      result.headers.emplace_back(header, std::move(*value));
    }
  }
  result.breaker_open_after = in.millis("breaker_open_after_ms", result.breaker_open_after);
  result.dead_letter_depth_threshold =
      in.integer("dead_letter_depth_threshold", result.dead_letter_depth_threshold, 1);
  result.queue_capacity = in.integer("queue_capacity", result.queue_capacity, 1, 1000000);
  result.timeout = in.millis("timeout_ms", result.timeout);
  if (result.timeout.count() == 0)
    in.fail("timeout_ms", "a duration in milliseconds > 0");
  result.connect_timeout = in.millis("connect_timeout_ms", result.connect_timeout);
  if (result.connect_timeout.count() == 0)
    in.fail("connect_timeout_ms", "a duration in milliseconds > 0");
  return result;
}

nlohmann::json webhook_config::to_json() const {
  nlohmann::json kinds = nlohmann::json::array();
  for (auto kind : events)
    kinds.push_back(to_string(kind));
  nlohmann::json variables = nlohmann::json::object();
  for (auto& [header, variable] : headers_env)
    variables[header] = variable;
  nlohmann::json result = {{"name", name},
                           {"events", kinds},
                           {"format", to_string(format)},
                           {"headers_env", variables},
                           {"breaker_open_after_ms", to_ms(breaker_open_after)},
                           {"dead_letter_depth_threshold", dead_letter_depth_threshold},
                           {"queue_capacity", queue_capacity},
                           {"timeout_ms", to_ms(timeout)},
                           {"connect_timeout_ms", to_ms(connect_timeout)}};
  if (url_env.empty())
    result["url"] = url;
  else
    result["url_env"] = url_env;
  return result;
}

} // namespace herd
