#include "dispatch/dispatcher_actions.hpp"

namespace herd {

void dispatcher_actions::count_success(const std::string& service) {
  // Few services per handled message: a linear search beats a map.
  for (auto& done : successes) {
    if (done.service == service) {
      ++done.count;
      return;
    }
  }
  successes.push_back(service_successes{service, 1});
}

void dispatcher_actions::clear() {
  leases.clear();
  settled.clear();
  retries.clear();
  routes.clear();
  successes.clear();
  stuck.clear();
  reminders.clear();
  arm_timer = false;
  drained = false;
}

} // namespace herd
