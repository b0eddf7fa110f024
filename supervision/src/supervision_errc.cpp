#include "herd/supervision/supervision_errc.hpp"
#include "herd/core/errc.hpp"

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
  return render_error("supervision", to_string(static_cast<supervision_errc>(code)), context);
}

} // namespace herd
