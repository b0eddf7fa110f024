#pragma once

#include "herd/http/http_codec.hpp"
#include "herd/http/http_endpoint.hpp"

namespace herd {

/// Any JSON API. The call's request is {"path": "/x", "method"?: "POST", "headers"?: {name:
/// string}, "body"?: <JSON or string>, "timeout_ms"?: n}; only `path` is required and must start
/// with "/". A JSON body is sent serialized with `content-type: application/json`, a string body
/// as is with `content-type: text/plain; charset=utf-8`; the request's headers (including a
/// content-type) override the endpoint's of the same name. `timeout_ms` overrides the endpoint's
/// total timeout. The result on 2xx is {"status": 200, "body": <the body parsed as JSON, or the
/// text when it is not JSON>}; anything else is classified by `http_classifier`.
class json_http_codec : public http_codec {
public:
  /// A codec sending to `endpoint`.
  explicit json_http_codec(http_endpoint endpoint);

  std::variant<http_request, failure> encode(const std::string& request_json) const override;
  outcome decode(const http_response& response) const override;

  /// The endpoint.
  const http_endpoint& endpoint() const { return endpoint_; }

private:
  http_endpoint endpoint_;
};

} // namespace herd
