#include "herd/degradation/call_fingerprint.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

namespace herd {

namespace {

constexpr uint64_t fnv_offset = 14695981039346656037ULL;
constexpr uint64_t fnv_prime = 1099511628211ULL;

uint64_t fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= fnv_prime;
  }
  return h;
}

/// `x` with every floating-point number that holds an integer turned into that integer, so
/// 1.0 and 1 print alike (object keys are already sorted by nlohmann::json's std::map).
nlohmann::json normalized(const nlohmann::json& x) {
  if (x.is_object()) {
    auto result = nlohmann::json::object();
    for (auto& [key, value] : x.items())
      result[key] = normalized(value);
    return result;
  }
  if (x.is_array()) {
    auto result = nlohmann::json::array();
    for (auto& value : x)
      result.push_back(normalized(value));
    return result;
  }
  if (x.is_number_float()) {
    auto d = x.get<double>();
    constexpr double limit = 9007199254740992.0; // 2^53: every integer below is exact
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= limit)
      return static_cast<int64_t>(d);
  }
  if (x.is_number_unsigned() &&
      x.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return static_cast<int64_t>(x.get<uint64_t>());
  return x;
}

} // namespace

std::string call_fingerprint::canonical(const nlohmann::json& request) {
  return normalized(request).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

call_fingerprint call_fingerprint::hash(std::string_view service,
                                        std::string_view canonical_request) {
  auto h = fnv1a(fnv_offset, service);
  h = fnv1a(h, std::string_view{"\0", 1});
  return call_fingerprint{fnv1a(h, canonical_request)};
}

call_fingerprint call_fingerprint::of(std::string_view service, const nlohmann::json& request) {
  return hash(service, canonical(request));
}

call_fingerprint call_fingerprint::of_text(std::string_view service, std::string_view request) {
  auto parsed = nlohmann::json::parse(request.begin(), request.end(), nullptr, false);
  if (parsed.is_discarded())
    return hash(service, request);
  return of(service, parsed);
}

std::string call_fingerprint::to_string() const {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(value_));
  return buf;
}

} // namespace herd
