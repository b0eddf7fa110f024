#include "herd/runtime/announce.hpp"

namespace herd {

void announce_types(caf::actor_system_config& cfg) {
  for_each_announced_type([&](auto type, const char* name) {
    cfg.add_message_type<typename decltype(type)::type>(name);
  });
  for_each_error_category([&](caf::atom_value category, error_renderer render) {
    cfg.add_error_category(category, render);
  });
}

} // namespace herd
