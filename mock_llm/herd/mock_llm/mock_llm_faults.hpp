#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "herd/mock_llm/mock_llm_fault.hpp"
#include "herd/mock_llm/mock_llm_profile.hpp"

namespace herd {

/// What one API call gets, and why.
struct mock_llm_decision {
  /// The fault (kind none: answer normally), with its headers and latency.
  mock_llm_fault fault;
  /// Why: "x-mock-fault", "outage", "capacity", "error_rate", "hang_rate", "reset_rate",
  /// "truncated_rate", "malformed_rate", "trickle_rate", or "" for a plain answer.
  std::string cause;
  /// The error message for the body when `fault.kind` is status.
  std::string message;
};

/// Decides, without sockets or clocks, what each API call gets from a profile: the call's own
/// `x-mock-fault` header first (a bad one: 400 naming the problem); else 503 inside an outage;
/// else `overload_status` (429 or 503) beyond `capacity_per_s` calls in the current whole second
/// since start (with `retry-after` and `retry-after-ms` as `overload_retry_after` says: until the
/// window resets, a fixed time, or none); else one draw against the fault rates, and a latency
/// uniform in [latency_min_ms, latency_max_ms]. With a capacity and `publish_limits`, every answer
/// but a hooked one carries OpenAI's `x-ratelimit-{limit,remaining,reset}-requests` for the window.
/// Every call draws the same two numbers from a generator seeded with the profile's seed, so the
/// same seed and call sequence give the same decisions. Not thread-safe: the server serializes
/// calls.
class mock_llm_faults {
public:
  /// Decides from `profile`, which it copies.
  explicit mock_llm_faults(mock_llm_profile profile);

  /// The decision for a call arriving `elapsed_ms` after start, carrying `header` as its
  /// `x-mock-fault` ("" when absent).
  mock_llm_decision decide(int64_t elapsed_ms, std::string_view header);

  /// The profile it decides from.
  const mock_llm_profile& profile() const { return profile_; }

  /// Seconds (or any decimal) as a header writes them: "5", "2.5", "0.25" (to the thousandth).
  static std::string format_seconds(double seconds);
  /// A reset time as OpenAI writes it: "250ms", "1s", "1.5s", "6m0s".
  static std::string format_reset(int64_t ms);

private:
  double draw();

  mock_llm_profile profile_;
  std::mt19937_64 rng_;
  int64_t second_ = -1;
  int64_t served_ = 0;
};

} // namespace herd
