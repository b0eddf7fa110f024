#include "herd/http/json_http_codec.hpp"

#include <chrono>
#include <strings.h>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/http/http_classifier.hpp"

namespace herd {

namespace {

void set_header(http_request& request, std::string name, std::string value) {
  for (auto& [key, old] : request.headers)
    if (strcasecmp(key.c_str(), name.c_str()) == 0) {
      old = std::move(value);
      return;
    }
  request.headers.emplace_back(std::move(name), std::move(value));
}

} // namespace

json_http_codec::json_http_codec(http_endpoint endpoint) : endpoint_(std::move(endpoint)) {}

std::variant<http_request, failure> json_http_codec::encode(const std::string& request_json) const {
  try {
    auto document = parse_json_text(request_json, "request");
    json_reader in{document};
    in.only_keys({"method", "path", "headers", "body", "timeout_ms"});
    if (!in.has("path"))
      in.fail("path", "a path starting with \"/\"");
    auto path = in.string("path", "");
    if (path.empty() || path.front() != '/')
      in.fail("path", "a path starting with \"/\"");
    for (char c : path)
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
        in.fail("path", "a path without spaces or control characters");
    auto method = in.string("method", "POST");
    if (method.empty() || method.find_first_of(" \t\r\n") != std::string::npos)
      in.fail("method", "an HTTP method such as \"POST\"");
    std::string body;
    std::string content_type;
    if (in.has("body")) {
      auto& value = in.at("body").value();
      if (value.is_string()) {
        body = value.get<std::string>();
        content_type = "text/plain; charset=utf-8";
      } else {
        body = value.dump();
        content_type = "application/json";
      }
    }
    auto request = endpoint_.request(std::move(method), path, std::move(body));
    if (!content_type.empty())
      set_header(request, "content-type", content_type);
    if (in.has("headers"))
      for (auto& [name, value] : http_endpoint::headers_from_json(in, "headers"))
        set_header(request, name, value);
    if (in.has("timeout_ms")) {
      request.total_timeout = in.millis("timeout_ms", duration{0});
      if (request.total_timeout.count() == 0)
        in.fail("timeout_ms", "a duration in milliseconds > 0");
    }
    return request;
  } catch (const std::exception& e) {
    return failure::permanent(std::string{"invalid request: "} + e.what())
        .because("invalid_request");
  }
}

outcome json_http_codec::decode(const http_response& response) const {
  try {
    if (auto why = http_classifier::classify(response))
      return outcome::fail(std::move(*why));
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_discarded())
      body = response.body;
    return outcome::success(nlohmann::json{{"status", response.status}, {"body", std::move(body)}});
  } catch (const std::exception& e) {
    return outcome::fail(failure::transient(std::string{"invalid response: "} + e.what())
                             .because("invalid_response")
                             .from("", response.status));
  }
}

} // namespace herd
