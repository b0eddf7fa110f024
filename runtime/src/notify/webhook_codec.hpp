#pragma once

#include <string>
#include <variant>

#include "herd/http/http_codec.hpp"
#include "herd/http/http_endpoint.hpp"

namespace herd {

/// How a notification webhook's `http_service` speaks: the call's request is the body (JSON
/// text), POSTed with `content-type: application/json` to the endpoint's base URL exactly (no
/// path is appended, so the URL, a secret for Slack, stays out of tasks and dead letters) with
/// the endpoint's headers. A 2xx is a success {"status": n}; anything else is classified by
/// `http_classifier` (503 and timeouts are transient, so the retry scheduler retries them).
class webhook_codec : public http_codec {
public:
  /// A codec posting to `endpoint`.
  explicit webhook_codec(http_endpoint endpoint);

  std::variant<http_request, failure> encode(const std::string& request_json) const override;
  outcome decode(const http_response& response) const override;

private:
  http_endpoint endpoint_;
};

} // namespace herd
