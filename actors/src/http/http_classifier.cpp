#include "herd/http/http_classifier.hpp"

#include <cstdio>
#include <cstring>
#include <strings.h>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/failure_category.hpp"
#include "herd/http/rate_limit_headers.hpp"

namespace herd {

namespace {

failure transport_failure(const http_response& response) {
  auto detail = [&](std::string what) {
    if (!response.error_message.empty())
      what += ": " + http_classifier::escaped_excerpt(response.error_message);
    return what;
  };
  switch (response.error) {
  case http_error::connection_refused:
    return failure::unavailable(detail("connection refused")).because("connection_refused");
  case http_error::dns:
    return failure::unavailable(detail("host name did not resolve")).because("dns");
  case http_error::connection_reset:
    return failure::transient(detail("connection reset")).because("connection_reset");
  case http_error::connect_timeout:
    return failure::timeout(detail("connect timed out")).because("connect_timeout");
  case http_error::timeout:
    return failure::timeout(detail("request timed out")).because("timeout");
  case http_error::cancelled:
    return failure::timeout(detail("request cancelled")).because("cancelled");
  case http_error::shutting_down:
    return failure::unavailable(detail("HTTP client shutting down")).because("shutting_down");
  case http_error::invalid_url:
    return failure::permanent(detail("invalid URL")).because("invalid_url");
  case http_error::tls:
    return failure::permanent(detail("TLS failed")).because("tls");
  case http_error::too_large:
    return failure::permanent(detail("response too large")).because("response_too_large");
  case http_error::none:
  case http_error::other:
    break;
  }
  return failure::transient(detail("transport error")).because("transport");
}

bool retryable(failure_category category) {
  return category == failure_category::transient || category == failure_category::timeout ||
         category == failure_category::rate_limited || category == failure_category::unavailable;
}

} // namespace

http_classifier::wall_time http_classifier::arrival_of(const http_response& response) {
  if (response.received_ms == 0)
    return std::chrono::system_clock::now();
  return wall_time{std::chrono::milliseconds(response.received_ms)};
}

std::optional<failure> http_classifier::classify(const http_response& response) {
  return classify(response, arrival_of(response));
}

std::optional<failure> http_classifier::classify(const http_response& response, wall_time now) {
  if (response.error != http_error::none)
    return transport_failure(response);
  if (response.ok())
    return std::nullopt;
  auto status = response.status;
  auto message = "HTTP " + std::to_string(status) + ": " + error_excerpt(response.body);
  auto category = classify_http_status(status);
  failure result = failure::make(category, std::move(message));
  result.status_code = status;
  if (status == 401 || status == 403)
    result.reason = "auth";
  else if (status < 400)
    result.reason = "unexpected_status";
  if (auto should_retry = response.header("x-should-retry")) {
    auto said = [&](const char* word) {
      return should_retry->size() == std::strlen(word) &&
             strncasecmp(should_retry->data(), word, should_retry->size()) == 0;
    };
    if (said("true") && !retryable(category)) {
      result.category = failure_category::transient;
      result.reason = "x_should_retry";
    } else if (said("false") && retryable(category)) {
      result.category = failure_category::permanent;
      result.reason = "x_should_retry";
    }
  }
  auto wait = result.category == failure_category::rate_limited
                  ? rate_limit_headers::rate_limit_wait(response, now)
                  : rate_limit_headers::requested_wait(response, now);
  if (wait)
    result.retry_after = *wait;
  return result;
}

std::string http_classifier::error_excerpt(std::string_view body) {
  auto parsed = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (parsed.is_object()) {
    auto error = parsed.find("error");
    if (error != parsed.end()) {
      if (error->is_string())
        return escaped_excerpt(error->get_ref<const std::string&>());
      if (error->is_object()) {
        auto message = error->find("message");
        if (message != error->end() && message->is_string())
          return escaped_excerpt(message->get_ref<const std::string&>());
      }
    }
    auto message = parsed.find("message");
    if (message != parsed.end() && message->is_string())
      return escaped_excerpt(message->get_ref<const std::string&>());
  }
  return escaped_excerpt(body);
}

std::string http_classifier::escaped_excerpt(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, max_excerpt)) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > max_excerpt) {
    // Drop a UTF-8 sequence cut in half, then mark the cut.
    size_t end = out.size();
    while (end > 0 && (static_cast<unsigned char>(out[end - 1]) & 0xC0) == 0x80)
      --end;
    if (end > 0 && static_cast<unsigned char>(out[end - 1]) >= 0xC0) {
      auto lead = static_cast<unsigned char>(out[end - 1]);
      size_t needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
      if (out.size() - end != needed)
        out.resize(end - 1);
    }
    out += "\xE2\x80\xA6";
  }
  return out;
}

} // namespace herd
