#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"
#include "herd/http/http_codec.hpp"
#include "herd/http/http_endpoint.hpp"
#include "herd/http/llm_prices.hpp"

namespace herd {

class json_reader;
class metrics_registry;

/// One HTTP service, as in the runtime configuration's "services" object:
/// {"type": "http"|"openai"|"anthropic", "base_url", "model", "api_key_env", "api_key",
/// "api_key_required", "headers", "connect_timeout_ms", "timeout_ms", "max_response_bytes",
/// "max_tokens", "prices"}. `model` is required for openai and anthropic; `headers` is for http
/// only; the key fields and `max_tokens` are for openai and anthropic only. The key is read from
/// the environment variable `api_key_env` when the file is read and held in memory only; `api_key`
/// in the file itself is accepted (and wins over the environment) but discouraged, since
/// configuration files end up in version control and backups.
struct http_service_config {
  /// Reads an environment variable: its value, or nothing when unset.
  using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

  /// The API: "http" (any JSON API), "openai" or "anthropic". Required.
  std::string type;
  /// The base URL (http:// or https://, with a host). Required.
  std::string base_url;
  /// The default model (openai, anthropic). Default: "".
  std::string model;
  /// The environment variable holding the key. Default: OPENAI_API_KEY for openai,
  /// ANTHROPIC_API_KEY for anthropic, "" for http.
  std::string api_key_env;
  /// The key (never logged; `to_json` shows "***", which read back means no inline key, so the
  /// output of `herd config show` reads the environment again). Default: "".
  std::string api_key;
  /// False lets openai/anthropic run without a key (local mocks). Default: true.
  bool api_key_required = true;
  /// Headers sent on every request (http only). Default: none.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Longest time to connect; 0 = the HTTP client's default. Default: 0.
  duration connect_timeout{0};
  /// Longest time for one exchange; 0 = the HTTP client's default. Default: 0.
  duration timeout{0};
  /// Largest response body in bytes; 0 = the HTTP client's default. Default: 0.
  int64_t max_response_bytes = 0;
  /// Default output token limit (openai, anthropic): sent to anthropic always, to openai when
  /// > 0. Default: 1024 for anthropic, 0 (none) otherwise.
  int64_t max_tokens = 0;
  /// What the model's tokens cost (openai, anthropic), {"input_per_million",
  /// "output_per_million"} in USD; with them herd_llm_cost_usd_total counts the cost of every
  /// answer. Default: none (cost not counted; tokens are counted anyway).
  std::optional<llm_prices> prices;

  /// Reads the JSON form; throws `config_error` naming the bad field's JSON path, also when the
  /// key's environment variable is unset or empty. `env` defaults to `std::getenv`.
  static http_service_config from_json(const json_reader& in, const env_lookup& env = {});
  /// The JSON form, with the key shown as "***" (absent when there is none).
  nlohmann::json to_json() const;
  /// The endpoint: base URL, headers and limits.
  http_endpoint endpoint() const;
  /// The codec for `type`; an openai or anthropic one counts tokens (and cost, with `prices`)
  /// into `metrics` when given (default: none, nothing counted).
  std::unique_ptr<http_codec> make_codec(std::shared_ptr<metrics_registry> metrics = nullptr) const;
};

} // namespace herd
