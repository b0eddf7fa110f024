#pragma once

#include <cstdint>

#include "herd/core/time.hpp"

namespace herd {

/// The simplest failure detector: an agent is suspect once more than `max_missed` heartbeat
/// intervals have passed since its last heartbeat. Pure logic, fed with actor-clock times.
class deadline_detector {
public:
  /// Expects a heartbeat every `interval` (default 1 s) and suspects after more than
  /// `max_missed` intervals without one (default 2).
  explicit deadline_detector(duration interval = from_ms(1000), int32_t max_missed = 2);

  /// Records a heartbeat at `now` (also the start of watching).
  void heartbeat(time_point now);
  /// True once a heartbeat was recorded.
  bool started() const { return started_; }
  /// The time of the last heartbeat (epoch if none).
  time_point last_heartbeat() const { return last_; }
  /// Intervals elapsed since the last heartbeat at `now` (0 before the first heartbeat).
  double missed(time_point now) const;
  /// True if more than `max_missed` intervals passed since the last heartbeat.
  bool suspect(time_point now) const;
  /// The time after which `suspect` becomes true.
  time_point suspect_after() const { return last_ + interval_ * max_missed_; }

private:
  duration interval_;
  int32_t max_missed_;
  time_point last_;
  bool started_ = false;
};

} // namespace herd
