#include "herd/supervision/restart_intensity.hpp"

namespace herd {

bool restart_intensity::record(time_point now) {
  forget_before(now);
  restarts_.push_back(now);
  return static_cast<int64_t>(restarts_.size()) <= max_restarts_;
}

size_t restart_intensity::recent(time_point now) {
  forget_before(now);
  return restarts_.size();
}

void restart_intensity::forget_before(time_point now) {
  while (!restarts_.empty() && now - restarts_.front() >= period_)
    restarts_.pop_front();
}

} // namespace herd
