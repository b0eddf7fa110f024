#include "herd/history/settled_task.hpp"

#include <algorithm>

namespace herd {

int64_t settled_task::duration_ms() const {
  return std::max(to_ms(settled - accepted), int64_t{0});
}

void settled_task::shift_times(duration offset) {
  accepted += offset;
  settled += offset;
}

bool operator==(const settled_task& x, const settled_task& y) {
  return x.task_id == y.task_id && x.kind == y.kind && x.pool == y.pool && x.service == y.service &&
         x.state == y.state && x.attempts == y.attempts && x.accepted == y.accepted &&
         x.settled == y.settled && x.agent == y.agent;
}

} // namespace herd
