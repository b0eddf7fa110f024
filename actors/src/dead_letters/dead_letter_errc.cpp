#include "herd/dead_letters/dead_letter_errc.hpp"

#include <caf/deep_to_string.hpp>

namespace herd {

std::string to_string(dead_letter_errc code) {
  switch (code) {
  case dead_letter_errc::none:
    return "none";
  case dead_letter_errc::no_such_letter:
    return "no_such_letter";
  case dead_letter_errc::no_such_replay:
    return "no_such_replay";
  case dead_letter_errc::invalid_request:
    return "invalid_request";
  case dead_letter_errc::store_failed:
    return "store_failed";
  }
  return "dead_letter_errc(" + std::to_string(static_cast<int>(code)) + ")";
}

std::string render_dead_letter_errc(uint8_t code, caf::atom_value, const caf::message& context) {
  auto result = "deadletter: " + to_string(static_cast<dead_letter_errc>(code));
  if (context.size() == 1 && context.match_element<std::string>(0))
    result += ": " + context.get_as<std::string>(0);
  else if (!context.empty())
    result += ": " + caf::deep_to_string(context);
  return result;
}

} // namespace herd
