#include "herd/supervision/health_state.hpp"
#include "herd/core/enum_name.hpp"

namespace herd {

std::string to_string(health_state x) {
  switch (x) {
  case health_state::healthy:
    return "healthy";
  case health_state::suspect:
    return "suspect";
  case health_state::isolated:
    return "isolated";
  case health_state::restarting:
    return "restarting";
  case health_state::stopped:
    return "stopped";
  }
  return "unknown";
}

std::optional<health_state> parse_health_state(std::string_view name) {
  return parse_enum_name<health_state>(name, {health_state::healthy, health_state::suspect,
                                              health_state::isolated, health_state::restarting,
                                              health_state::stopped});
}

} // namespace herd
