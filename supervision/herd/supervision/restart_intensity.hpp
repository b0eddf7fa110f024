#pragma once

#include <cstdint>
#include <deque>

#include "herd/core/time.hpp"

namespace herd {

/// Erlang's restart intensity: more than `max_restarts` restarts within `period` means the
/// supervisor gives up. Pure logic, fed with actor-clock times.
class restart_intensity {
public:
  /// At most `max_restarts` (default 1, as OTP) within `period` (default 5 s, as OTP).
  explicit restart_intensity(int32_t max_restarts = 1, duration period = from_ms(5000))
      : max_restarts_(max_restarts), period_(period) {}

  /// Records a restart at `now`; false when it exceeds the intensity (the supervisor gives up).
  bool record(time_point now);
  /// Restarts recorded within the period before `now`.
  size_t recent(time_point now);

private:
  void forget_before(time_point now);

  int32_t max_restarts_;
  duration period_;
  std::deque<time_point> restarts_;
};

} // namespace herd
