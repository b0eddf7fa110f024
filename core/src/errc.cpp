#include "herd/core/errc.hpp"

#include <caf/deep_to_string.hpp>
#include <caf/message.hpp>

namespace herd {

std::string to_string(errc code) {
  switch (code) {
  case errc::none:
    return "none";
  case errc::intake_full:
    return "intake_full";
  case errc::shutting_down:
    return "shutting_down";
  case errc::unknown_pool:
    return "unknown_pool";
  case errc::invalid_task:
    return "invalid_task";
  case errc::invalid_config:
    return "invalid_config";
  case errc::task_failed:
    return "task_failed";
  case errc::handed_back:
    return "handed_back";
  case errc::timeout:
    return "timeout";
  case errc::unknown_kind:
    return "unknown_kind";
  case errc::intake_paused:
    return "intake_paused";
  case errc::budget_exhausted:
    return "budget_exhausted";
  case errc::journal_failed:
    return "journal_failed";
  case errc::memory_pressure:
    return "memory_pressure";
  case errc::recycled:
    return "recycled";
  }
  return "errc(" + std::to_string(static_cast<int>(code)) + ")";
}

std::string render_error(const std::string& component, const std::string& code_name,
                         const caf::message& context) {
  auto result = component + ": " + code_name;
  if (context.size() == 1 && context.match_element<std::string>(0))
    result += ": " + context.get_as<std::string>(0);
  else if (!context.empty())
    result += ": " + caf::deep_to_string(context);
  return result;
}

std::string render_errc(uint8_t code, caf::atom_value, const caf::message& context) {
  return render_error("herd", to_string(static_cast<errc>(code)), context);
}

} // namespace herd
