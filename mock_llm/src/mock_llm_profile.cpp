#include "herd/mock_llm/mock_llm_profile.hpp"

#include <cstdio>

namespace herd {

namespace {

constexpr int64_t max_ms = int64_t{365} * 24 * 3600 * 1000;

} // namespace

mock_llm_profile mock_llm_profile::from_json(const json_reader& in) {
  in.only_keys({"capacity_per_s", "outages", "latency", "error_rate", "hang_rate", "reset_rate",
                "truncated_rate", "malformed_rate", "trickle_rate", "trickle_ms", "seed",
                "context_window_tokens", "content_policy_marker", "api_key", "threads",
                "overload_status", "overload_retry_after_s", "publish_limits"});
  mock_llm_profile p;
  p.capacity_per_s = in.integer("capacity_per_s", p.capacity_per_s, 0, 1000000000);
  p.overload_status = static_cast<int32_t>(in.integer("overload_status", p.overload_status));
  if (p.overload_status != 429 && p.overload_status != 503)
    in.fail("overload_status", "429 or 503");
  if (in.has("overload_retry_after_s")) {
    auto value = in.at("overload_retry_after_s").value();
    if (value.is_string() && value.get<std::string>() == "window") {
      p.overload_retry_after = retry_after_kind::window;
    } else if (value.is_string() && value.get<std::string>() == "none") {
      p.overload_retry_after = retry_after_kind::none;
    } else if (value.is_number() && value.get<double>() >= 0 && value.get<double>() <= 86400) {
      p.overload_retry_after = retry_after_kind::fixed;
      p.overload_retry_after_s = value.get<double>();
    } else {
      in.fail("overload_retry_after_s",
              "\"window\", \"none\" or a number of seconds in [0, 86400]");
    }
  }
  p.publish_limits = in.boolean("publish_limits", p.publish_limits);
  if (in.has("outages")) {
    auto list = in.at("outages");
    if (!list.value().is_array())
      in.fail("outages", "an array of {\"start_ms\", \"length_ms\"}");
    for (auto& window : list.elements()) {
      window.only_keys({"start_ms", "length_ms"});
      mock_llm_outage o;
      o.start_ms = window.integer("start_ms", o.start_ms, 0, max_ms);
      o.length_ms = window.integer("length_ms", o.length_ms, 0, max_ms);
      p.outages.push_back(o);
    }
  }
  if (in.has("latency")) {
    auto latency = in.at("latency");
    latency.only_keys({"min_ms", "max_ms"});
    p.latency_min_ms = latency.integer("min_ms", p.latency_min_ms, 0, max_ms);
    p.latency_max_ms = latency.integer("max_ms", p.latency_min_ms, 0, max_ms);
    if (p.latency_max_ms < p.latency_min_ms)
      latency.fail("max_ms",
                   "a number of ms at least min_ms (" + std::to_string(p.latency_min_ms) + ")");
  }
  for (auto& r : rates())
    p.*r.member = in.number(std::string{r.name} + "_rate", p.*r.member, 0, 1);
  p.trickle_ms = in.integer("trickle_ms", p.trickle_ms, 0, 600000);
  p.seed = static_cast<uint64_t>(in.integer("seed", static_cast<int64_t>(p.seed), 0));
  p.context_window_tokens =
      in.integer("context_window_tokens", p.context_window_tokens, 0, 1000000000);
  p.content_policy_marker = in.string("content_policy_marker", p.content_policy_marker);
  p.api_key = in.string("api_key", p.api_key);
  p.threads = in.integer("threads", p.threads, 1, 4096);
  p.validate();
  return p;
}

void mock_llm_profile::validate() const {
  double sum = 0;
  for (auto& r : rates())
    sum += this->*r.member;
  if (sum > 1.0 + 1e-9) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", sum);
    throw config_error("", "the fault rates (error, hang, reset, truncated, malformed, trickle) "
                           "add up to " +
                               std::string{text} + ", more than 1");
  }
  if (overload_status != 429 && overload_status != 503)
    throw config_error("/overload_status",
                       "expected 429 or 503, got " + std::to_string(overload_status));
  if (latency_max_ms < latency_min_ms)
    throw config_error("/latency/max_ms", "expected at least min_ms (" +
                                              std::to_string(latency_min_ms) + "), got " +
                                              std::to_string(latency_max_ms));
}

const std::vector<mock_llm_profile::rate>& mock_llm_profile::rates() {
  static const std::vector<rate> result{
      {"error", &mock_llm_profile::error_rate, mock_llm_fault_kind::status},
      {"hang", &mock_llm_profile::hang_rate, mock_llm_fault_kind::hang},
      {"reset", &mock_llm_profile::reset_rate, mock_llm_fault_kind::reset},
      {"truncated", &mock_llm_profile::truncated_rate, mock_llm_fault_kind::truncated},
      {"malformed", &mock_llm_profile::malformed_rate, mock_llm_fault_kind::malformed},
      {"trickle", &mock_llm_profile::trickle_rate, mock_llm_fault_kind::trickle}};
  return result;
}

const mock_llm_outage* mock_llm_profile::outage_at(int64_t elapsed_ms) const {
  for (auto& o : outages)
    if (elapsed_ms >= o.start_ms && elapsed_ms - o.start_ms < o.length_ms)
      return &o;
  return nullptr;
}

} // namespace herd
