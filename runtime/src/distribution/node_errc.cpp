#include "herd/distribution/node_errc.hpp"

#include "herd/core/errc.hpp"

namespace herd {

std::string to_string(node_errc code) {
  switch (code) {
  case node_errc::none:
    return "none";
  case node_errc::refused:
    return "refused";
  case node_errc::unreachable:
    return "unreachable";
  }
  return "node_errc(" + std::to_string(static_cast<int>(code)) + ")";
}

std::string render_node_errc(uint8_t code, caf::atom_value, const caf::message& context) {
  return render_error("node", to_string(static_cast<node_errc>(code)), context);
}

} // namespace herd
