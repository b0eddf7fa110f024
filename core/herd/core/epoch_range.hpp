#pragma once

#include <cstdint>

namespace herd {

/// The largest distance from the epoch, in ms, that a `time_point` (64-bit nanoseconds) holds:
/// about 292 years. Readers of stored or received times refuse larger ones instead of
/// overflowing the clock (found by the fuzz targets of tests/fuzz).
inline constexpr int64_t max_epoch_ms = INT64_MAX / 1'000'000;

} // namespace herd
