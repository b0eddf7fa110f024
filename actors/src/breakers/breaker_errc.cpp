#include "herd/breakers/breaker_errc.hpp"

#include <caf/deep_to_string.hpp>

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
  auto result = "breaker: " + to_string(static_cast<breaker_errc>(code));
  if (context.size() == 1 && context.match_element<std::string>(0))
    result += ": " + context.get_as<std::string>(0); // a service name, without quotes
  else if (!context.empty())
    result += ": " + caf::deep_to_string(context);
  return result;
}

} // namespace herd
