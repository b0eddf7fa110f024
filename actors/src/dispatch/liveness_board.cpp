#include "herd/dispatch/liveness_board.hpp"

#include <stdexcept>

namespace herd {

liveness_board::liveness_board(size_t capacity)
    : capacity_(capacity), slots_(new std::atomic<int64_t>[capacity]) {
  for (size_t i = 0; i < capacity_; ++i)
    slots_[i].store(0, std::memory_order_relaxed);
}

size_t liveness_board::acquire() {
  std::lock_guard<std::mutex> guard{mtx_};
  size_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else if (next_ < capacity_) {
    slot = next_++;
  } else {
    throw std::length_error("liveness_board is full");
  }
  slots_[slot].store(0, std::memory_order_relaxed);
  return slot;
}

void liveness_board::release(size_t slot) {
  std::lock_guard<std::mutex> guard{mtx_};
  slots_[slot].store(0, std::memory_order_relaxed);
  free_.push_back(slot);
}

} // namespace herd
