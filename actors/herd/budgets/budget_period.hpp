#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herd {

/// The window a budget limit counts over. The timed periods are aligned to wall-clock UTC
/// boundaries (a day starts at 00:00 UTC, an hour at :00, a minute at :00 seconds); `total`
/// never resets (a task's budget over its whole life).
enum class budget_period : uint8_t {
  /// From one UTC minute boundary to the next.
  minute,
  /// From one UTC hour boundary to the next.
  hour,
  /// From 00:00 UTC to the next 00:00 UTC.
  day,
  /// The subject's whole life: never resets.
  total,
};

/// The period's name, e.g. "day".
std::string to_string(budget_period x);

/// The period's length in milliseconds; empty for `total`.
std::optional<int64_t> period_length_ms(budget_period x);

/// The start (ms since the Unix epoch, UTC) of the window of `period` that holds `now_ms`; 0 for
/// `total`.
int64_t period_start_ms(budget_period period, int64_t now_ms);

} // namespace herd
