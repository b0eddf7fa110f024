#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "herd/core/time.hpp"
#include "herd/http/http_request.hpp"

namespace herd {

class json_reader;

/// Where and how a codec sends its requests: the base URL, headers sent on every request, and
/// the limits. Zero timeouts and size limits take the `http_client`'s defaults.
struct http_endpoint {
  /// The base URL, e.g. "https://api.openai.com" or "http://127.0.0.1:8080/v1".
  std::string base_url;
  /// Headers sent on every request, before the request's own. Default: none.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Longest time to connect; 0 = the client's default. Default: 0.
  duration connect_timeout{0};
  /// Longest time for a whole exchange; 0 = the client's default. Default: 0.
  duration total_timeout{0};
  /// Largest response body in bytes; 0 = the client's default. Default: 0.
  int64_t max_response_bytes = 0;

  /// The URL of `path` ("/v1/chat/completions") under the base URL. A base URL ending in the
  /// path's first segment ("…/v1") is not given it twice; a trailing "/" is dropped.
  std::string url_for(std::string_view path) const;
  /// A request for `method` and `path` with `body`, the endpoint's headers and limits.
  http_request request(std::string method, std::string_view path, std::string body) const;

  /// What is wrong with `url` as a base URL (scheme not http/https, empty host, spaces), or
  /// nothing when it is fine.
  static std::optional<std::string> url_problem(std::string_view url);
  /// The headers of the JSON object at `key` of `in` ({name: string value}), in name order;
  /// throws `config_error` naming the path of a value that is not a string, of a name with
  /// spaces, ':' or line breaks, or of a value with line breaks.
  static std::vector<std::pair<std::string, std::string>> headers_from_json(const json_reader& in,
                                                                            std::string_view key);
};

} // namespace herd
