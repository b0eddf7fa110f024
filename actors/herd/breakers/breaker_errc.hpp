#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace herd {

/// Errors of the circuit breaker registry, carried in a `caf::error` of category "breaker".
enum class breaker_errc : uint8_t {
  /// Not an error.
  none = 0,
  /// No service actor is registered under the requested name.
  unknown_service,
};

/// The name of an error code, e.g. "unknown_service".
std::string to_string(breaker_errc code);

/// Renders an error of category "breaker" with its context, for `caf::actor_system_config`.
std::string render_breaker_errc(uint8_t code, caf::atom_value category,
                                const caf::message& context);

} // namespace herd

CAF_ERROR_CODE_ENUM(herd::breaker_errc, "breaker")
