#include "webhook_codec.hpp"

#include <nlohmann/json.hpp>

#include "herd/http/http_classifier.hpp"

namespace herd {

webhook_codec::webhook_codec(http_endpoint endpoint) : endpoint_(std::move(endpoint)) {}

std::variant<http_request, failure> webhook_codec::encode(const std::string& request_json) const {
  if (!nlohmann::json::accept(request_json))
    return failure::permanent("invalid notification body: not JSON").because("invalid_request");
  http_request request;
  request.method = "POST";
  request.url = endpoint_.base_url;
  request.headers = endpoint_.headers;
  request.headers.emplace_back("content-type", "application/json");
  request.body = request_json;
  request.connect_timeout = endpoint_.connect_timeout;
  request.total_timeout = endpoint_.total_timeout;
  request.max_response_bytes = endpoint_.max_response_bytes;
  return request;
}

outcome webhook_codec::decode(const http_response& response) const {
  if (auto why = http_classifier::classify(response))
    return outcome::fail(std::move(*why));
  return outcome::success(nlohmann::json{{"status", response.status}});
}

} // namespace herd
