#include "herd/mock_llm/mock_llm_faults.hpp"

#include <cstdio>
#include <stdexcept>

namespace herd {

mock_llm_faults::mock_llm_faults(mock_llm_profile profile)
    : profile_(std::move(profile)), rng_(profile_.seed) {}

double mock_llm_faults::draw() {
  // 53 random bits as a double in [0, 1): the same on every standard library.
  return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
}

std::string mock_llm_faults::format_seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  std::string result = text;
  while (result.back() == '0')
    result.pop_back();
  if (result.back() == '.')
    result.pop_back();
  return result;
}

std::string mock_llm_faults::format_reset(int64_t ms) {
  if (ms < 1000)
    return std::to_string(ms) + "ms";
  auto seconds = [](int64_t part) {
    auto text = std::to_string(part / 1000);
    if (part % 1000 != 0) {
      text += "." + std::to_string(1000 + part % 1000).substr(1);
      while (text.back() == '0')
        text.pop_back();
    }
    return text + "s";
  };
  if (ms >= 60000)
    return std::to_string(ms / 60000) + "m" + seconds(ms % 60000);
  return seconds(ms);
}

mock_llm_decision mock_llm_faults::decide(int64_t elapsed_ms, std::string_view header) {
  auto coin = draw();
  auto spread = draw();
  mock_llm_decision d;
  if (!header.empty()) {
    d.cause = "x-mock-fault";
    try {
      d.fault = mock_llm_fault::parse(header);
      if (d.fault.kind == mock_llm_fault_kind::status)
        d.message = "mock fault: status " + std::to_string(d.fault.status);
    } catch (const std::invalid_argument& e) {
      d.fault = mock_llm_fault{};
      d.fault.kind = mock_llm_fault_kind::status;
      d.fault.status = 400;
      d.message = e.what();
    }
    return d;
  }
  // The capacity window of this second, so every answer may publish it.
  auto limited = profile_.capacity_per_s > 0;
  auto second = elapsed_ms / 1000;
  if (limited && second != second_) {
    second_ = second;
    served_ = 0;
  }
  auto until_reset = (second + 1) * 1000 - elapsed_ms;
  auto limit = std::to_string(profile_.capacity_per_s);
  auto publish = [&](int64_t remaining) {
    if (limited && profile_.publish_limits)
      d.fault.headers.insert(d.fault.headers.end(),
                             {{"x-ratelimit-limit-requests", limit},
                              {"x-ratelimit-remaining-requests", std::to_string(remaining)},
                              {"x-ratelimit-reset-requests", format_reset(until_reset)}});
  };
  if (profile_.outage_at(elapsed_ms)) {
    d.cause = "outage";
    d.fault.kind = mock_llm_fault_kind::status;
    d.fault.status = 503;
    d.message = "mock outage: the service is temporarily unavailable";
    publish(profile_.capacity_per_s - served_);
    return d;
  }
  if (limited) {
    if (served_ >= profile_.capacity_per_s) {
      d.cause = "capacity";
      d.fault.kind = mock_llm_fault_kind::status;
      d.fault.status = profile_.overload_status;
      d.message = (profile_.overload_status == 429 ? "mock rate limit: more than "
                                                   : "mock overload: more than ") +
                  limit + " requests per second";
      using kind = mock_llm_profile::retry_after_kind;
      if (profile_.overload_retry_after == kind::window)
        d.fault.headers = {{"retry-after", std::to_string((until_reset + 999) / 1000)},
                           {"retry-after-ms", std::to_string(until_reset)}};
      else if (profile_.overload_retry_after == kind::fixed)
        d.fault.headers = {
            {"retry-after", format_seconds(profile_.overload_retry_after_s)},
            {"retry-after-ms", format_seconds(profile_.overload_retry_after_s * 1000)}};
      publish(0);
      return d;
    }
    ++served_;
    publish(profile_.capacity_per_s - served_);
  }
  d.fault.latency_ms =
      profile_.latency_min_ms +
      static_cast<int64_t>(
          spread * static_cast<double>(profile_.latency_max_ms - profile_.latency_min_ms + 1));
  if (d.fault.latency_ms > profile_.latency_max_ms)
    d.fault.latency_ms = profile_.latency_max_ms;
  double edge = 0;
  for (auto& r : mock_llm_profile::rates()) {
    auto share = profile_.*r.member;
    edge += share;
    if (share > 0 && coin < edge) {
      d.cause = std::string{r.name} + "_rate";
      d.fault.kind = r.kind;
      if (r.kind == mock_llm_fault_kind::status) {
        d.fault.status = 500;
        d.message = "mock server error";
      }
      d.fault.trickle_ms = profile_.trickle_ms;
      break;
    }
  }
  return d;
}

} // namespace herd
