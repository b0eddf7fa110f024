#pragma once

#include <atomic>
#include <cstdint>
#include <set>

#include "herd/core/time.hpp"

namespace herd::cli {

/// The demo's deliberate misbehaviour, shared by all its agents: the agent that takes the n-th
/// task (counting every attempt) crashes if n is in `crash_at`, or blocks its thread for
/// `hang_for` (a hung handler: no heartbeat, no mailbox) if n is in `hang_at`.
struct demo_chaos {
  /// Attempts at which an agent crashes. Default: none.
  std::set<int64_t> crash_at;
  /// Attempts at which an agent hangs. Default: none.
  std::set<int64_t> hang_at;
  /// How long a hung handler blocks. Default: 1.5 s.
  duration hang_for = from_ms(1500);
  /// Attempts taken so far, by every agent.
  std::atomic<int64_t> taken{0};
};

} // namespace herd::cli
