#include "herd/workflow/workflow_errc.hpp"

#include "herd/core/errc.hpp"

namespace herd {

std::string to_string(workflow_errc code) {
  switch (code) {
  case workflow_errc::none:
    return "none";
  case workflow_errc::unknown_workflow:
    return "unknown_workflow";
  case workflow_errc::unknown_run:
    return "unknown_run";
  case workflow_errc::invalid_request:
    return "invalid_request";
  case workflow_errc::definition_mismatch:
    return "definition_mismatch";
  case workflow_errc::not_resumable:
    return "not_resumable";
  case workflow_errc::store_failed:
    return "store_failed";
  }
  return "workflow_errc(" + std::to_string(static_cast<int>(code)) + ")";
}

std::string render_workflow_errc(uint8_t code, caf::atom_value, const caf::message& context) {
  return render_error("workflow", to_string(static_cast<workflow_errc>(code)), context);
}

} // namespace herd
