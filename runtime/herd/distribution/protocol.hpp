#pragma once

#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/distribution/node_info.hpp"
#include "herd/distribution/node_registration.hpp"

/// The distribution feature's protocol: the coordinator's node endpoint, which workers in
/// other processes reach through CAF's io middleman. Every message type here is announced
/// (runtime/herd/runtime/announce.hpp): CAF drops an unknown one silently.
namespace herd {

/// A worker joins with its agents: `(node_join_atom, node_registration) -> node_info`, or the
/// error `node_errc::refused` (wrong application id or secret; nothing is registered).
using node_join_atom = caf::atom_constant<caf::atom("nodejoin")>;
/// A worker's periodic sign of life: `(node_ping_atom, std::string worker)`.
using node_ping_atom = caf::atom_constant<caf::atom("nodeping")>;
/// Asks the endpoint for every node it knows: `(nodes_atom) -> std::vector<node_info>`.
using nodes_atom = caf::atom_constant<caf::atom("nodes")>;

/// A worker's own timers (local only): `(node_dial_atom, uint64_t generation)` dials the
/// coordinator, `(node_tick_atom, uint64_t generation)` pings it.
using node_dial_atom = caf::atom_constant<caf::atom("nodedial")>;
/// See `node_dial_atom`.
using node_tick_atom = caf::atom_constant<caf::atom("nodetick")>;
/// The echo agent's own timer for a delayed task (local only): `(echo_done_atom, uint64_t)`.
using echo_done_atom = caf::atom_constant<caf::atom("echodone")>;

// clang-format off
/// The coordinator's node endpoint, published on `node_config::host`:`port`.
///
/// | message                                 | reply                                  |
/// |-----------------------------------------|----------------------------------------|
/// | `(node_join_atom, node_registration)`   | `node_info` (or `node_errc::refused`)  |
/// | `(node_ping_atom, string worker)`       | -                                      |
/// | `(nodes_atom)`                          | `std::vector<node_info>`               |
// clang-format on
using node_endpoint_actor =
    caf::typed_actor<caf::replies_to<node_join_atom, node_registration>::with<node_info>,
                     caf::reacts_to<node_ping_atom, std::string>,
                     caf::replies_to<nodes_atom>::with<std::vector<node_info>>>;

} // namespace herd
