#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herd {

/// What the mock does to one API call instead of (or on top of) answering it.
enum class mock_llm_fault_kind {
  /// Answers normally.
  none,
  /// Answers `status` with the provider's error body.
  status,
  /// Never answers: waits until the client closes the connection or the server stops.
  hang,
  /// Closes the connection without a response.
  reset,
  /// Answers 200 with the JSON body cut in half.
  truncated,
  /// Answers 200 with a body that is not JSON.
  malformed,
  /// Answers 200 with the body sent in 8 pieces, `trickle_ms` apart.
  trickle,
  /// Answers 200 with a body of `oversized_bytes` bytes.
  oversized,
};

/// The name of `kind` ("none", "status", "hang", ...), as /stats shows it.
const char* to_string(mock_llm_fault_kind kind);

/// One call's fault: the kind, its parameters, extra response headers and a delay.
///
/// The test hook: a request header `x-mock-fault` chooses the fault of that one call. Its value
/// is `;`-separated `key=value` pairs (or bare keys), whitespace around them ignored:
///
///     status=N            answer status N (100..599) with the provider's error body
///     hang                never answer          reset       close without a response
///     truncated           JSON cut in half      malformed   a body that is not JSON
///     trickle=MS          the body in 8 pieces, MS apart
///     oversized=BYTES     a 200 body of BYTES bytes
///     latency=MS          wait MS before answering (combines with any of the above)
///     retry-after=V, retry-after-ms=V, x-NAME=V
///                         add that response header verbatim (V may hold ',' ':' and spaces,
///                         e.g. `retry-after=Wed, 21 Oct 2026 07:28:00 GMT`)
///
/// e.g. `status=429; retry-after=2`, `status=500; x-should-retry=true`,
/// `status=429; x-ratelimit-reset-requests=6m0s`. At most one of status, hang, reset,
/// truncated, malformed, trickle and oversized.
struct mock_llm_fault {
  /// What happens. Default: none.
  mock_llm_fault_kind kind = mock_llm_fault_kind::none;
  /// The status answered when `kind` is status. Default: 0.
  int status = 0;
  /// Headers added to the response, in order. Default: none.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Delay before answering, ms. Default: 0.
  int64_t latency_ms = 0;
  /// The pause between trickled pieces, ms. Default: 0.
  int64_t trickle_ms = 0;
  /// The size of an oversized body, bytes. Default: 0.
  int64_t oversized_bytes = 0;

  /// The fault an `x-mock-fault` header value describes; throws std::invalid_argument naming
  /// the bad pair.
  static mock_llm_fault parse(std::string_view header);
};

} // namespace herd
