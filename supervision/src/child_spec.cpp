#include "herd/child_spec.hpp"
#include "herd/enum_name.hpp"

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

} // namespace herd
