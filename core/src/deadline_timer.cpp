#include "herd/core/deadline_timer.hpp"

namespace herd {

std::optional<uint64_t> deadline_timer::arm(time_point due) {
  if (due >= due_)
    return std::nullopt;
  due_ = due;
  return ++generation_;
}

bool deadline_timer::fired(uint64_t generation) {
  if (generation != generation_)
    return false;
  due_ = time_point::max();
  return true;
}

} // namespace herd
