#include "herd/core/virtual_time.hpp"

#include <stdexcept>

namespace herd {

bool virtual_time::drives(caf::actor_system& sys) {
  return dynamic_cast<caf::scheduler::test_coordinator*>(&sys.scheduler()) != nullptr;
}

virtual_time::virtual_time(caf::actor_system& sys)
    : sched_(dynamic_cast<caf::scheduler::test_coordinator*>(&sys.scheduler())) {
  if (sched_ == nullptr)
    throw std::logic_error("herd::virtual_time needs scheduler.policy = 'testing'");
}

size_t virtual_time::run() {
  return sched_->run();
}

size_t virtual_time::advance(duration d) {
  auto& clock = sched_->clock();
  auto target = clock.current_time + d;
  size_t fired = 0;
  run();
  while (clock.has_pending_timeout() && clock.schedule().begin()->first <= target) {
    auto due = clock.schedule().begin()->first;
    fired += clock.advance_time(std::max(due - clock.current_time, duration{0}));
    run();
  }
  clock.current_time = target;
  run();
  return fired;
}

bool virtual_time::next_timer() {
  auto& clock = sched_->clock();
  if (!clock.has_pending_timeout())
    return false;
  auto due = clock.schedule().begin()->first;
  clock.advance_time(std::max(due - clock.current_time, duration{0}));
  run();
  return true;
}

time_point virtual_time::now() const {
  return sched_->clock().current_time;
}

bool virtual_time::has_timer() const {
  return sched_->clock().has_pending_timeout();
}

} // namespace herd
