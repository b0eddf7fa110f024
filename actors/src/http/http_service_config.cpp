#include "herd/http/http_service_config.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/http/anthropic_codec.hpp"
#include "herd/http/json_http_codec.hpp"
#include "herd/http/openai_codec.hpp"

namespace herd {

namespace {

/// What `to_json` shows for a key; read back, it stands for none.
constexpr const char* redacted_key = "***";

std::optional<std::string> process_env(const std::string& name) {
  if (const char* value = std::getenv(name.c_str()))
    return std::string{value};
  return std::nullopt;
}

} // namespace

http_service_config http_service_config::from_json(const json_reader& in, const env_lookup& env) {
  http_service_config result;
  if (!in.has("type"))
    in.fail("type", "\"http\", \"openai\" or \"anthropic\"");
  result.type = in.choice("type", "", {"http", "openai", "anthropic"});
  bool llm = result.type != "http";
  if (llm)
    in.only_keys({"type", "base_url", "model", "api_key_env", "api_key", "api_key_required",
                  "connect_timeout_ms", "timeout_ms", "max_response_bytes", "max_tokens",
                  "prices"});
  else
    in.only_keys(
        {"type", "base_url", "headers", "connect_timeout_ms", "timeout_ms", "max_response_bytes"});
  result.base_url = in.string("base_url", "");
  if (auto problem = http_endpoint::url_problem(result.base_url))
    in.fail("base_url", *problem);
  result.model = in.string("model", "");
  if (llm && result.model.empty())
    in.fail("model", "a model name");
  result.connect_timeout = in.millis("connect_timeout_ms", result.connect_timeout);
  result.timeout = in.millis("timeout_ms", result.timeout);
  result.max_response_bytes =
      in.integer("max_response_bytes", result.max_response_bytes, 0, int64_t{1} << 40);
  if (llm)
    result.max_tokens =
        in.integer("max_tokens", result.type == "anthropic" ? 1024 : 0, 0, 10000000);
  if (result.type == "anthropic" && result.max_tokens == 0)
    in.fail("max_tokens", "a token limit > 0 (Anthropic requires one)");
  if (llm && in.has("prices"))
    result.prices = llm_prices::from_json(in.at("prices"));
  if (in.has("headers"))
    result.headers = http_endpoint::headers_from_json(in, "headers");
  if (!llm)
    return result;
  result.api_key_required = in.boolean("api_key_required", result.api_key_required);
  result.api_key_env =
      in.string("api_key_env", result.type == "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY");
  result.api_key = in.string("api_key", "");
  if (result.api_key == redacted_key)
    result.api_key.clear(); // `to_json`'s stand-in (e.g. from `herd config show`): not a key
  if (result.api_key.empty() && !result.api_key_env.empty()) {
    auto value = env ? env(result.api_key_env) : process_env(result.api_key_env);
    if (value)
      result.api_key = *value;
  }
  if (result.api_key.empty() && result.api_key_required) {
    if (result.api_key_env.empty())
      throw config_error(in.path_of("api_key_env"),
                         "no API key: name an environment variable or set \"api_key_required\": "
                         "false");
    throw config_error(in.path_of("api_key_env"),
                       "environment variable " + result.api_key_env + " is not set");
  }
  return result;
}

nlohmann::json http_service_config::to_json() const {
  nlohmann::json j{{"type", type},
                   {"base_url", base_url},
                   {"connect_timeout_ms", to_ms(connect_timeout)},
                   {"timeout_ms", to_ms(timeout)},
                   {"max_response_bytes", max_response_bytes}};
  if (type == "http") {
    auto h = nlohmann::json::object();
    for (auto& [name, value] : headers)
      h[name] = value;
    j["headers"] = std::move(h);
    return j;
  }
  j["model"] = model;
  j["max_tokens"] = max_tokens;
  j["api_key_env"] = api_key_env;
  j["api_key_required"] = api_key_required;
  if (prices)
    j["prices"] = prices->to_json();
  if (!api_key.empty())
    j["api_key"] = redacted_key;
  return j;
}

http_endpoint http_service_config::endpoint() const {
  http_endpoint result;
  result.base_url = base_url;
  result.headers = headers;
  result.connect_timeout = connect_timeout;
  result.total_timeout = timeout;
  result.max_response_bytes = max_response_bytes;
  return result;
}

std::unique_ptr<http_codec>
http_service_config::make_codec(std::shared_ptr<metrics_registry> metrics) const {
  std::unique_ptr<llm_codec> llm;
  if (type == "openai")
    llm = std::make_unique<openai_codec>(endpoint(), api_key, model, max_tokens);
  else if (type == "anthropic")
    llm = std::make_unique<anthropic_codec>(endpoint(), api_key, model, max_tokens);
  else
    return std::make_unique<json_http_codec>(endpoint());
  if (metrics)
    llm->meter_with(std::make_shared<llm_usage_meter>(std::move(metrics), llm->provider(), prices));
  return llm;
}

} // namespace herd
