#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace herd {

/// Errors of the node endpoint, carried in a `caf::error` of category "herdnode".
enum class node_errc : uint8_t {
  /// Not an error.
  none = 0,
  /// A node (worker or client) presented a wrong application id or shared secret and was
  /// refused; nothing of it was registered.
  refused,
  /// The coordinator cannot be reached, or the connection dropped while a client waited: a task
  /// it had submitted may still run (submit it again under its id to get the recorded result).
  unreachable,
};

/// The name of an error code, e.g. "refused".
std::string to_string(node_errc code);

/// Renders an error of category "herdnode" with its context, for `caf::actor_system_config`.
std::string render_node_errc(uint8_t code, caf::atom_value category, const caf::message& context);

} // namespace herd

CAF_ERROR_CODE_ENUM(herd::node_errc, "herdnode")
