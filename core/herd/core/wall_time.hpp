#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "herd/core/time.hpp"

namespace herd {

/// Wall-clock UTC times: what is stored on disk and shown to operators, in milliseconds since
/// the Unix epoch (epoch ms in JSON, ISO-8601 in text). The actor clock stays the source of
/// durations and deadlines in memory; `wall_offset` carries a time from one clock to the other.

/// Milliseconds since the Unix epoch on the system clock (UTC).
int64_t wall_now_ms();

/// What to add to an actor-clock time to get the wall-clock time (`to_epoch_ms` of the sum is
/// ms since the Unix epoch), given both clocks read at the same moment; its negation goes back.
duration wall_offset(time_point actor_now, int64_t wall_now_ms);

/// `ms` since the Unix epoch as ISO-8601 UTC with milliseconds, e.g.
/// "2026-11-30T18:03:07.123Z"; 0 (no time) is "-".
std::string format_utc(int64_t ms);

/// Parses an ISO-8601 UTC time: "2026-11-30", "2026-11-30T18:03", "2026-11-30T18:03:07",
/// optionally with ".123" and a trailing "Z"; empty if malformed or before the epoch.
std::optional<int64_t> parse_utc(std::string_view text);

/// Parses an age such as "45s", "30m", "12h", "7d" or "500ms" into milliseconds; empty if
/// malformed, negative or more than 100 years.
std::optional<int64_t> parse_age_ms(std::string_view text);

} // namespace herd
