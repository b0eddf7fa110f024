#include "herd/mock_llm/mock_llm_faults.hpp"

#include <stdexcept>

namespace herd {

mock_llm_faults::mock_llm_faults(mock_llm_profile profile)
    : profile_(std::move(profile)), rng_(profile_.seed) {}

double mock_llm_faults::draw() {
  // 53 random bits as a double in [0, 1): the same on every standard library.
  return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
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
  if (profile_.outage_at(elapsed_ms)) {
    d.cause = "outage";
    d.fault.kind = mock_llm_fault_kind::status;
    d.fault.status = 503;
    d.message = "mock outage: the service is temporarily unavailable";
    return d;
  }
  if (profile_.capacity_per_s > 0) {
    auto second = elapsed_ms / 1000;
    if (second != second_) {
      second_ = second;
      served_ = 0;
    }
    auto until_reset = (second + 1) * 1000 - elapsed_ms;
    auto limit = std::to_string(profile_.capacity_per_s);
    if (served_ >= profile_.capacity_per_s) {
      d.cause = "capacity";
      d.fault.kind = mock_llm_fault_kind::status;
      d.fault.status = 429;
      d.message = "mock rate limit: more than " + limit + " requests per second";
      d.fault.headers = {{"retry-after", std::to_string((until_reset + 999) / 1000)},
                         {"retry-after-ms", std::to_string(until_reset)},
                         {"x-ratelimit-limit-requests", limit},
                         {"x-ratelimit-remaining-requests", "0"},
                         {"x-ratelimit-reset-requests", format_reset(until_reset)}};
      return d;
    }
    ++served_;
    d.fault.headers = {
        {"x-ratelimit-limit-requests", limit},
        {"x-ratelimit-remaining-requests", std::to_string(profile_.capacity_per_s - served_)},
        {"x-ratelimit-reset-requests", format_reset(until_reset)}};
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
