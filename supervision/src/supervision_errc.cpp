#include "herd/supervision/supervision_errc.hpp"

namespace herd {

std::string to_string(supervision_errc code) {
  switch (code) {
  case supervision_errc::none:
    return "none";
  case supervision_errc::intensity_exceeded:
    return "intensity_exceeded";
  case supervision_errc::child_hung:
    return "child_hung";
  case supervision_errc::start_failed:
    return "start_failed";
  }
  return "supervision_errc(" + std::to_string(static_cast<int>(code)) + ")";
}

std::string render_supervision_errc(uint8_t code, caf::atom_value, const caf::message& context) {
  auto result = "supervision: " + to_string(static_cast<supervision_errc>(code));
  if (!context.empty())
    result += ": " + caf::to_string(context);
  return result;
}

} // namespace herd
