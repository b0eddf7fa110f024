#include "herd/retry/timer_queue.hpp"

#include <algorithm>

namespace herd {

namespace {

// std::push_heap builds a max-heap: "later" entries compare less, so the earliest is on top.
bool later(const timer_queue::entry& x, const timer_queue::entry& y) {
  return x.due != y.due ? x.due > y.due : x.key > y.key;
}

} // namespace

void timer_queue::push(time_point due, uint64_t key) {
  heap_.push_back(entry{due.time_since_epoch().count(), key});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

time_point timer_queue::earliest() const {
  return time_point{time_point::duration{heap_.front().due}};
}

std::optional<timer_queue::entry> timer_queue::pop_due(time_point now) {
  if (heap_.empty() || heap_.front().due > now.time_since_epoch().count())
    return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  auto result = heap_.back();
  heap_.pop_back();
  return result;
}

void timer_queue::clear() {
  heap_.clear();
  heap_.shrink_to_fit();
  armed_ = false;
}

std::optional<duration> timer_queue::arm(time_point now) {
  if (heap_.empty())
    return std::nullopt;
  auto due = heap_.front().due;
  if (armed_ && armed_due_ <= due)
    return std::nullopt;
  armed_ = true;
  armed_due_ = due;
  ++generation_;
  auto delay = duration{due - now.time_since_epoch().count()};
  return std::max(delay, duration{0});
}

bool timer_queue::fire(uint64_t generation) {
  if (generation != generation_ || !armed_)
    return false;
  armed_ = false;
  return true;
}

} // namespace herd
