#pragma once

#include <cstdint>
#include <optional>

#include "herd/core/time.hpp"

namespace herd {

/// One timer for an actor's earliest deadline. CAF 0.17 cannot cancel a `delayed_send`, so
/// every armed timer carries a generation number and only the latest one counts; a timer
/// already armed for an earlier time is kept (when it fires, the actor arms the next one).
class deadline_timer {
public:
  /// Whether to send a timer for `due`: its generation if nothing armed comes first (the
  /// earlier armed timer becomes obsolete), else none.
  std::optional<uint64_t> arm(time_point due);
  /// True if `generation` is the current timer's; then nothing is armed any more.
  bool fired(uint64_t generation);
  /// When the armed timer is due; `time_point::max()` if none is armed.
  time_point due() const { return due_; }

private:
  uint64_t generation_ = 0;
  time_point due_ = time_point::max();
};

} // namespace herd
