#include "herd/dead_letters/dead_letter_errc.hpp"

#include "herd/core/errc.hpp"

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
  return render_error("deadletter", to_string(static_cast<dead_letter_errc>(code)), context);
}

} // namespace herd
