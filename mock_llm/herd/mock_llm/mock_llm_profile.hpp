#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "herd/core/json_reader.hpp"
#include "herd/mock_llm/mock_llm_fault.hpp"

namespace herd {

/// A window during which the mock answers every API call with 503, relative to server start.
struct mock_llm_outage {
  /// Milliseconds after the server's start when the outage begins. Default: 0.
  int64_t start_ms = 0;
  /// How long it lasts, milliseconds. Default: 0 (no outage).
  int64_t length_ms = 0;
};

/// The faults and limits of `herd mock-llm`. Everything is off by default, so the plain server
/// answers every well-formed request at once. The rates are shares of API calls in [0, 1] that
/// together may not exceed 1; a call draws one fault from them in the order error, hang, reset,
/// truncated, malformed, trickle. JSON (every key optional, unknown keys refused):
///
///     {"capacity_per_s": 5, "outages": [{"start_ms": 2000, "length_ms": 3000}],
///      "latency": {"min_ms": 10, "max_ms": 50}, "error_rate": 0.1, "hang_rate": 0,
///      "reset_rate": 0, "truncated_rate": 0, "malformed_rate": 0, "trickle_rate": 0,
///      "trickle_ms": 100, "seed": 1, "context_window_tokens": 0,
///      "content_policy_marker": "MOCK_CONTENT_POLICY", "api_key": "", "threads": 64,
///      "overload_status": 429, "overload_retry_after_s": "window", "publish_limits": true}
class mock_llm_profile {
public:
  /// Calls served per whole second since start; beyond it `overload_status`. Default: 0
  /// (unlimited).
  int64_t capacity_per_s = 0;
  /// The status of a call beyond the capacity: 429 (rate limited) or 503 (overloaded).
  /// Default: 429.
  int32_t overload_status = 429;
  /// What an overload answer says in `retry-after` (and `retry-after-ms`).
  enum class retry_after_kind {
    /// The time until the capacity window resets (whole seconds rounded up; exact in ms).
    window,
    /// Always `overload_retry_after_s`, as a rate-limit storm whose every 429 says the same.
    fixed,
    /// No Retry-After at all.
    none,
  };
  /// JSON "overload_retry_after_s": "window", "none" or a number of seconds (fixed).
  /// Default: window.
  retry_after_kind overload_retry_after = retry_after_kind::window;
  /// The fixed Retry-After of overload answers, seconds (used when `overload_retry_after` is
  /// fixed). Default: 0.
  double overload_retry_after_s = 0;
  /// With a capacity, every API answer (served, overloaded or in an outage) carries OpenAI's
  /// `x-ratelimit-limit-requests`, `-remaining-requests` and `-reset-requests` for the current
  /// one-second window. Default: true.
  bool publish_limits = true;
  /// Windows answered with 503. Default: none.
  std::vector<mock_llm_outage> outages;
  /// The smallest latency added before an answer, ms (uniform in [min, max]). Default: 0.
  int64_t latency_min_ms = 0;
  /// The largest latency added before an answer, ms. Default: 0.
  int64_t latency_max_ms = 0;
  /// Share of calls answered 500. Default: 0.
  double error_rate = 0;
  /// Share of calls never answered (until the client leaves or the server stops). Default: 0.
  double hang_rate = 0;
  /// Share of calls whose connection is closed without a response. Default: 0.
  double reset_rate = 0;
  /// Share of calls answered 200 with the JSON body cut in half. Default: 0.
  double truncated_rate = 0;
  /// Share of calls answered 200 with a body that is not JSON. Default: 0.
  double malformed_rate = 0;
  /// Share of calls whose body is sent slowly, in 8 pieces `trickle_ms` apart. Default: 0.
  double trickle_rate = 0;
  /// The pause between trickled pieces, ms. Default: 100.
  int64_t trickle_ms = 100;
  /// Seeds the fault and latency draws: the same seed and calls give the same faults. Default: 1.
  uint64_t seed = 1;
  /// Prompts longer than this many tokens (whitespace-separated words) are refused with 400;
  /// 0 = no limit. Default: 0.
  int64_t context_window_tokens = 0;
  /// A message containing this text is refused as a content-policy violation ("" = never).
  /// Default: "MOCK_CONTENT_POLICY".
  std::string content_policy_marker = "MOCK_CONTENT_POLICY";
  /// When not empty, calls must carry it (`authorization: Bearer K` or `x-api-key: K`), else
  /// 401. Default: "" (no key needed).
  std::string api_key;
  /// Worker threads, so as many connections are served at once. Default: 64.
  int64_t threads = 64;

  /// One fault rate: its name (the JSON key is NAME_rate, the flag --NAME-rate, and /stats
  /// names a call it decided NAME_rate), the member holding it and the fault it draws.
  struct rate {
    /// "error", "hang", "reset", "truncated", "malformed" or "trickle".
    const char* name;
    /// The member holding the share.
    double mock_llm_profile::*member;
    /// The fault a call drawn into this share gets.
    mock_llm_fault_kind kind;
  };
  /// The fault rates, in the order calls draw from them.
  static const std::vector<rate>& rates();

  /// The profile in `in`; throws `config_error` naming the JSON path of a bad or unknown field.
  static mock_llm_profile from_json(const json_reader& in);
  /// Throws `config_error` (path "" for the document) if the rates add up to more than 1 or the
  /// latency's minimum exceeds its maximum; `from_json` calls it, flag parsers should too.
  void validate() const;
  /// The outage covering `elapsed_ms` after start, or nullptr.
  const mock_llm_outage* outage_at(int64_t elapsed_ms) const;
};

} // namespace herd
