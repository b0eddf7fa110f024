#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace herd {

/// Errors of the dead-letter queue and the escalation queue, carried in a `caf::error` of
/// category "deadletter"; the context is one string naming the letter, replay or problem.
enum class dead_letter_errc : uint8_t {
  /// Not an error.
  none = 0,
  /// No dead letter (or escalation) is stored under the requested task id.
  no_such_letter,
  /// No replay request has the requested id.
  no_such_replay,
  /// The request itself is malformed: an unknown status, a payload that is not valid JSON.
  invalid_request,
  /// The database failed (missing, corrupt, full, not writable); nothing was changed.
  store_failed,
};

/// The name of an error code, e.g. "no_such_letter".
std::string to_string(dead_letter_errc code);

/// Renders an error of category "deadletter" with its context, for `caf::actor_system_config`.
std::string render_dead_letter_errc(uint8_t code, caf::atom_value category,
                                    const caf::message& context);

} // namespace herd

CAF_ERROR_CODE_ENUM(herd::dead_letter_errc, "deadletter")
