#pragma once

#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/distribution/node_credentials.hpp"
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
/// A client submits a task and waits for its final outcome:
/// `(node_submit_atom, node_credentials, task) -> outcome`, or the error `node_errc::refused`
/// or the dispatcher's refusal (intake_full, unknown_pool, ...).
using node_submit_atom = caf::atom_constant<caf::atom("nodesubmit")>;
/// A client hands a task over for an acknowledgement:
/// `(node_enqueue_atom, node_credentials, task) -> std::string` (the task id, once accepted and,
/// with a journal at durability "sync", durable), or an error as for `node_submit_atom`.
using node_enqueue_atom = caf::atom_constant<caf::atom("nodeenq")>;
/// Asks the endpoint for every node it knows:
/// `(nodes_atom, node_credentials) -> std::vector<node_info>`, or `node_errc::refused`.
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
/// | `(nodes_atom, credentials)`             | `std::vector<node_info>`               |
/// | `(node_submit_atom, credentials, task)` | `outcome` (the task's final one)       |
/// | `(node_enqueue_atom, credentials, task)`| `std::string` task id, once accepted   |
// clang-format on
using node_endpoint_actor =
    caf::typed_actor<caf::replies_to<node_join_atom, node_registration>::with<node_info>,
                     caf::reacts_to<node_ping_atom, std::string>,
                     caf::replies_to<nodes_atom, node_credentials>::with<std::vector<node_info>>,
                     caf::replies_to<node_submit_atom, node_credentials, task>::with<outcome>,
                     caf::replies_to<node_enqueue_atom, node_credentials, task>::with<std::string>>;

} // namespace herd
