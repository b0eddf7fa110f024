#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herd {

/// What went down and recovered.
enum class recovery_subject : uint8_t {
  /// A circuit breaker: open (or forced open) until closed again.
  breaker,
  /// An agent (a supervised child): suspect, isolated, exited or restarting until a new
  /// incarnation started.
  agent,
};

/// The name of a subject type: "breaker" or "agent".
std::string to_string(recovery_subject x);

/// The subject type named `name`, or none.
std::optional<recovery_subject> parse_recovery_subject(std::string_view name);

/// One outage that ended: from going down to recovering, both wall-clock UTC epoch ms.
struct recovery_interval {
  /// What went down. Default: breaker.
  recovery_subject subject_type = recovery_subject::breaker;
  /// The breaker's key (service, or "agent/service") or the agent's name. Default: empty.
  std::string subject;
  /// When it went down (ms since the Unix epoch). Default: 0.
  int64_t went_down_ms = 0;
  /// When it recovered (ms since the Unix epoch). Default: 0.
  int64_t recovered_ms = 0;

  /// Milliseconds it was down (never negative).
  int64_t duration_ms() const;
};

/// Field-wise equality.
bool operator==(const recovery_interval& x, const recovery_interval& y);

} // namespace herd
