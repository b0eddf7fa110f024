#pragma once

#include <cstdint>
#include <vector>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/history/settled_task.hpp"

/// The task history's protocol: what the dispatcher sends the history recorder. The recorder's
/// full handle (it also takes breaker transitions and supervision events) is internal to the
/// runtime (runtime/src/history_recorder.hpp), which wires it.
namespace herd {

/// Tasks that reached a terminal state: `(history_atom, std::vector<settled_task>)`, times on
/// the sender's actor clock; one message per batch of settlements the dispatcher handled.
using history_atom = caf::atom_constant<caf::atom("history")>;
/// Commits what the recorder holds now: `(history_flush_atom) -> int64_t` rows committed so far.
using history_flush_atom = caf::atom_constant<caf::atom("hist_flush")>;
/// Internal: the recorder's flush timer, `(history_tick_atom)`.
using history_tick_atom = caf::atom_constant<caf::atom("hist_tick")>;

/// What the dispatcher holds of the recorder (a peer given at spawn; none = nothing is sent):
/// `(history_atom, std::vector<settled_task>)`.
using history_feed_actor =
    caf::typed_actor<caf::reacts_to<history_atom, std::vector<settled_task>>>;

} // namespace herd
