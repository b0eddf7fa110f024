#pragma once

#include <string>
#include <variant>

#include "herd/core/failure.hpp"
#include "herd/core/outcome.hpp"
#include "herd/http/http_request.hpp"
#include "herd/http/http_response.hpp"

namespace herd {

/// How an `http_service` speaks to one kind of HTTP API: turns a call's request (JSON text, as
/// every herd service receives it) into an HTTP request, and the HTTP response into an outcome.
/// Implementations: `json_http_codec` (any JSON API), `openai_codec` (chat completions),
/// `anthropic_codec` (messages).
class http_codec {
public:
  virtual ~http_codec() = default;

  /// The HTTP request for `request_json`, or a permanent failure when it cannot be made (invalid
  /// JSON, a missing field).
  virtual std::variant<http_request, failure> encode(const std::string& request_json) const = 0;
  /// The outcome of `response`: a result, or a classified failure (service and status set by the
  /// caller). Never throws.
  virtual outcome decode(const http_response& response) const = 0;
};

} // namespace herd
