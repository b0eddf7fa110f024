#include "herd/breakers/breaker_state.hpp"
#include "herd/core/enum_name.hpp"

namespace herd {

std::string to_string(breaker_state x) {
  switch (x) {
  case breaker_state::closed:
    return "closed";
  case breaker_state::open:
    return "open";
  case breaker_state::half_open:
    return "half_open";
  case breaker_state::forced_open:
    return "forced_open";
  case breaker_state::disabled:
    return "disabled";
  case breaker_state::metrics_only:
    return "metrics_only";
  }
  return "closed";
}

std::optional<breaker_state> parse_breaker_state(std::string_view name) {
  return parse_enum_name<breaker_state>(
      name, {breaker_state::closed, breaker_state::open, breaker_state::half_open,
             breaker_state::forced_open, breaker_state::disabled, breaker_state::metrics_only});
}

} // namespace herd
