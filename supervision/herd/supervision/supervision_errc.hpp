#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace herd {

/// Exit reasons of supervisors, carried in a `caf::error` of category "herdsup".
enum class supervision_errc : uint8_t {
  /// Not an error.
  none = 0,
  /// More restarts than the intensity allows: the supervisor stopped its children and exited,
  /// so its parent sees an abnormal exit and decides (the supervisor gave up).
  intensity_exceeded,
  /// A child was suspected by the health monitor (hung) and abandoned.
  child_hung,
  /// A child factory returned an invalid handle.
  start_failed,
};

/// Returns the name of a code, e.g. "intensity_exceeded".
std::string to_string(supervision_errc code);

/// Renders an error of category "herdsup", for `actor_system_config::add_error_category`.
std::string render_supervision_errc(uint8_t code, caf::atom_value category,
                                    const caf::message& context);

} // namespace herd

CAF_ERROR_CODE_ENUM(herd::supervision_errc, "herdsup")
