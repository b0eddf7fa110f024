#include "herd/breakers/breaker_errc.hpp"

#include "herd/core/errc.hpp"

namespace herd {

std::string to_string(breaker_errc code) {
  switch (code) {
  case breaker_errc::none:
    return "none";
  case breaker_errc::unknown_service:
    return "unknown_service";
  }
  return "breaker_errc(" + std::to_string(static_cast<int>(code)) + ")";
}

std::string render_breaker_errc(uint8_t code, caf::atom_value, const caf::message& context) {
  return render_error("breaker", to_string(static_cast<breaker_errc>(code)), context);
}

} // namespace herd
