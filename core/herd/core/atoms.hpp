#pragma once

#include <caf/atom.hpp>

/// Message atoms that several features' actors send (CAF 0.17 atoms: at most 10 characters).
/// A feature's own atoms live in its protocol.hpp (e.g. herd/dispatch/protocol.hpp).
namespace herd {

/// Re-enters a task that herd already accepted (retry, replay): `(resubmit_atom, task)`.
using resubmit_atom = caf::atom_constant<caf::atom("resubmit")>;
/// Stops leasing to an agent and re-queues its leases: `(isolate_atom, agent)`.
using isolate_atom = caf::atom_constant<caf::atom("isolate")>;
/// Ends a waiting task with a terminal state decided outside the dispatcher:
/// `(settle_atom, outcome)` (status dead_lettered, escalated, failed or handed_back).
using settle_atom = caf::atom_constant<caf::atom("settle")>;
/// Returns every task that is not finished and forgets it: `(handback_atom)`.
using handback_atom = caf::atom_constant<caf::atom("handback")>;
/// A liveness signal from an agent: `(heartbeat_atom, name, sequence)`.
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
/// An actor's own timer tick: `(tick_atom, generation)`.
using tick_atom = caf::atom_constant<caf::atom("tick")>;
/// Reports an expired lease: `(stuck_atom, agent, task_id)`.
using stuck_atom = caf::atom_constant<caf::atom("stuck")>;
/// A call to a downstream service: `(call_atom, request_json)`, replies with an `outcome`.
using call_atom = caf::atom_constant<caf::atom("call")>;

/// Subscribes an actor to an actor's events (breaker transitions, alerts): `(subscribe_atom,
/// actor)`.
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
/// Removes a subscription: `(unsubscribe_atom, actor)`.
using unsubscribe_atom = caf::atom_constant<caf::atom("unsubscrib")>;

} // namespace herd
