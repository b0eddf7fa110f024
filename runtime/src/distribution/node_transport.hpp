#pragma once

#include <cstdint>

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/io/middleman_actor.hpp>

#include "herd/distribution/node_config.hpp"

namespace caf {
class actor_system;
}

/// How the nodes of a fleet reach each other: plain BASP over TCP through CAF's io middleman,
/// or BASP over mutual TLS through CAF's OpenSSL module when `node_config::tls` is set (its
/// middleman actor has the same interface). The system must have been configured with the same
/// `node_config` (`node_config::apply_to`).
namespace herd::node_transport {

/// The middleman actor that dials other nodes and publishes this one: the OpenSSL module's with
/// TLS, the io middleman's without.
caf::io::middleman_actor middleman(caf::actor_system& sys, const node_config& config);

/// Publishes `whom` on `config.host`:`config.port` (0 picks a port) with SO_REUSEADDR, so a
/// restarted coordinator gets its port back while the last one's connections linger in
/// TIME_WAIT; returns the port. Blocks until bound: call it outside actors' handlers.
caf::expected<uint16_t> publish(caf::actor_system& sys, const caf::actor& whom,
                                const node_config& config);

/// Closes `port`, where `whom` was published (with TLS: asks the module to, without waiting).
void unpublish(caf::actor_system& sys, const caf::actor& whom, uint16_t port,
               const node_config& config);

} // namespace herd::node_transport
