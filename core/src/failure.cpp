#include "herd/core/failure.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

failure failure::make(failure_category category, std::string message) {
  failure result;
  result.category = category;
  result.message = std::move(message);
  return result;
}

failure failure::rate_limited(std::string message, duration retry_after) {
  auto result = make(failure_category::rate_limited, std::move(message));
  result.retry_after = retry_after;
  return result;
}

failure& failure::from(std::string service_name, int32_t status) {
  service = std::move(service_name);
  status_code = status;
  return *this;
}

bool operator==(const failure& x, const failure& y) {
  return x.category == y.category && x.message == y.message && x.reason == y.reason &&
         x.service == y.service && x.status_code == y.status_code && x.retry_after == y.retry_after;
}

std::string to_string(const failure& x) {
  auto result = to_string(x.category);
  if (!x.reason.empty())
    result += "/" + x.reason;
  if (x.status_code != 0)
    result += " (" + std::to_string(x.status_code) + ")";
  if (!x.service.empty())
    result += " from " + x.service;
  if (!x.message.empty())
    result += ": " + x.message;
  if (x.retry_after.count() > 0)
    result += ", retry after " + std::to_string(to_ms(x.retry_after)) + " ms";
  return result;
}

void to_json(nlohmann::json& j, const failure& x) {
  j = nlohmann::json{{"category", to_string(x.category)},
                     {"message", x.message},
                     {"service", x.service},
                     {"status_code", x.status_code},
                     {"retry_after_ms", to_ms(x.retry_after)}};
  if (!x.reason.empty())
    j["reason"] = x.reason;
}

void from_json(const nlohmann::json& j, failure& x) {
  json_reader in{j};
  in.only_keys({"category", "message", "reason", "service", "status_code", "retry_after_ms"});
  auto name = in.string("category", "unknown");
  auto category = parse_failure_category(name);
  if (!category)
    in.fail("category", "a failure category");
  x.category = *category;
  x.message = in.string("message", "");
  x.reason = in.string("reason", "");
  x.service = in.string("service", "");
  x.status_code = static_cast<int32_t>(in.integer("status_code", 0, 0, 999));
  x.retry_after = in.millis("retry_after_ms", duration{0});
}

} // namespace herd
