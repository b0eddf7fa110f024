#include "herd/supervision/deadline_detector.hpp"

#include <stdexcept>

namespace herd {

deadline_detector::deadline_detector(duration interval, int32_t max_missed)
    : interval_(interval), max_missed_(max_missed) {
  if (interval_.count() <= 0)
    throw std::invalid_argument("deadline_detector: interval must be > 0");
  if (max_missed_ < 1)
    throw std::invalid_argument("deadline_detector: max_missed must be >= 1");
}

void deadline_detector::heartbeat(time_point now) {
  last_ = now;
  started_ = true;
}

double deadline_detector::missed(time_point now) const {
  if (!started_ || now <= last_)
    return 0.0;
  return static_cast<double>((now - last_).count()) / static_cast<double>(interval_.count());
}

bool deadline_detector::suspect(time_point now) const {
  return started_ && now > suspect_after();
}

} // namespace herd
