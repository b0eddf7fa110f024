#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "herd/core/time.hpp"

namespace herd {

/// Every pending timer of an actor in one binary heap ordered by due time, served by a single
/// actor-clock timer: `arm()` says when a new timer is needed (the earliest entry is earlier
/// than the armed one) and numbers it; `fire()` accepts only the newest number, so the ticks
/// of superseded timers are ignored (CAF 0.17 cannot cancel a delayed message).
/// An entry is 16 bytes; keys are the owner's, and entries due at the same time pop in key
/// order.
class timer_queue {
public:
  /// One pending timer.
  struct entry {
    /// When it is due, as nanoseconds on the actor clock.
    duration::rep due;
    /// The owner's key.
    uint64_t key;
  };

  /// Adds a timer for `key` due at `due`.
  void push(time_point due, uint64_t key);
  /// True if no timer is pending.
  bool empty() const { return heap_.empty(); }
  /// Pending timers.
  size_t size() const { return heap_.size(); }
  /// When the earliest timer is due; the queue must not be empty.
  time_point earliest() const;
  /// Removes and returns the earliest timer if it is due at `now`.
  std::optional<entry> pop_due(time_point now);
  /// Drops every timer; a tick of the armed one will be ignored.
  void clear();
  /// Reserves room for `n` timers.
  void reserve(size_t n) { heap_.reserve(n); }
  /// Bytes held by the heap.
  size_t memory_bytes() const { return heap_.capacity() * sizeof(entry); }

  /// The delay of a timer the owner must arm now (its number is then `generation()`), or none
  /// if the queue is empty or the armed timer already comes early enough.
  std::optional<duration> arm(time_point now);
  /// The number of the newest armed timer.
  uint64_t generation() const { return generation_; }
  /// Accepts the tick of timer `generation`: false for a superseded timer (ignore the tick),
  /// true for the armed one, which is then no longer armed.
  bool fire(uint64_t generation);

private:
  std::vector<entry> heap_;
  uint64_t generation_ = 0;
  duration::rep armed_due_ = 0;
  bool armed_ = false;
};

} // namespace herd
