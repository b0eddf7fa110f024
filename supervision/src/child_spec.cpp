#include "herd/supervision/child_spec.hpp"

#include <memory>
#include <utility>

#include "herd/core/enum_name.hpp"

namespace herd {

std::string to_string(restart_type x) {
  switch (x) {
  case restart_type::permanent:
    return "permanent";
  case restart_type::transient:
    return "transient";
  case restart_type::temporary:
    return "temporary";
  }
  return "unknown";
}

std::optional<restart_type> parse_restart_type(std::string_view name) {
  return parse_enum_name<restart_type>(
      name, {restart_type::permanent, restart_type::transient, restart_type::temporary});
}

child_spec adopting(child_spec spec, caf::actor first) {
  auto pending = std::make_shared<caf::actor>(std::move(first));
  spec.start = [pending, start = std::move(spec.start)](caf::actor_system& sys) {
    if (*pending)
      return std::exchange(*pending, caf::actor{});
    return start(sys);
  };
  return spec;
}

} // namespace herd
