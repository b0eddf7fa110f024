#include "dispatch/dispatcher_actions.hpp"

namespace herd {

void dispatcher_actions::clear() {
  leases.clear();
  settled.clear();
  retries.clear();
  successes.clear();
  stuck.clear();
  reminders.clear();
  arm_timer = false;
  drained = false;
}

} // namespace herd
