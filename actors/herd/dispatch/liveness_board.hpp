#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace herd {

/// Hang detection without heartbeat messages: one slot per in-process agent holding the time
/// (ns on the actor clock) at which it entered the handler it is running, 0 while it is idle.
/// The agent writes its slot around each handler (two relaxed stores); the health monitor's
/// one check timer scans all slots. Idle agents cost nothing per second, and an agent that
/// crashed is reported by a CAF monitor, so only a handler that does not return needs finding.
/// Slots never move; acquire/release are thread-safe, enter/leave/busy_since are lock-free.
class liveness_board {
public:
  /// A board with `capacity` slots (8 bytes each). Default: 1048576.
  explicit liveness_board(size_t capacity = size_t{1} << 20);

  /// A free slot, marked idle; throws std::length_error when the board is full.
  size_t acquire();
  /// Returns a slot to the board.
  void release(size_t slot);
  /// The agent in `slot` starts a handler at `now_ns`.
  void enter(size_t slot, int64_t now_ns) noexcept {
    slots_[slot].store(now_ns == 0 ? 1 : now_ns, std::memory_order_relaxed);
  }
  /// The agent in `slot` finished its handler.
  void leave(size_t slot) noexcept { slots_[slot].store(0, std::memory_order_relaxed); }
  /// When the agent in `slot` entered its running handler; 0 if idle.
  int64_t busy_since(size_t slot) const noexcept {
    return slots_[slot].load(std::memory_order_relaxed);
  }
  /// True if the agent in `slot` has run one handler for longer than `limit_ns` at `now_ns`.
  bool hung(size_t slot, int64_t now_ns, int64_t limit_ns) const noexcept {
    auto since = busy_since(slot);
    return since != 0 && now_ns - since > limit_ns;
  }
  /// The number of slots.
  size_t capacity() const { return capacity_; }

private:
  size_t capacity_;
  std::unique_ptr<std::atomic<int64_t>[]> slots_;
  std::mutex mtx_;
  std::vector<size_t> free_;
  size_t next_ = 0;
};

} // namespace herd
