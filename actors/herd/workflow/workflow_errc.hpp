#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace herd {

/// Errors of the workflow driver, carried in a `caf::error` of category "workflow"; the context
/// is one string naming the run, workflow or step and the problem.
enum class workflow_errc : uint8_t {
  /// Not an error.
  none = 0,
  /// No workflow of that name is registered.
  unknown_workflow,
  /// No run has that id.
  unknown_run,
  /// A definition or request is malformed (a bad definition, input that is not JSON).
  invalid_request,
  /// A stored run does not fit the registered definition (a step the code no longer has).
  definition_mismatch,
  /// The run has ended (or does not wait for a person), so it cannot be resumed or cancelled.
  not_resumable,
  /// The workflow database failed; nothing was changed.
  store_failed,
};

/// The name of an error code, e.g. "unknown_run".
std::string to_string(workflow_errc code);

/// Renders an error of category "workflow" with its context, for `caf::actor_system_config`.
std::string render_workflow_errc(uint8_t code, caf::atom_value category,
                                 const caf::message& context);

} // namespace herd

CAF_ERROR_CODE_ENUM(herd::workflow_errc, "workflow")
