#pragma once

#include <caf/atom.hpp>

/// Message atoms that several features' actors answer or send alike (CAF 0.17 atoms: at most
/// 10 characters).
/// A feature's own atoms live in its protocol.hpp (e.g. herd/dispatch/protocol.hpp).
namespace herd {

/// Returns every task that is not finished and forgets it: `(handback_atom)`.
using handback_atom = caf::atom_constant<caf::atom("handback")>;
/// An actor's own timer tick: `(tick_atom, generation)`.
using tick_atom = caf::atom_constant<caf::atom("tick")>;
/// A call to a downstream service: `(call_atom, request_json)`, replies with an `outcome`.
using call_atom = caf::atom_constant<caf::atom("call")>;

/// Subscribes an actor to an actor's events (breaker transitions, alerts): `(subscribe_atom,
/// actor)`.
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
/// Removes a subscription: `(unsubscribe_atom, actor)`.
using unsubscribe_atom = caf::atom_constant<caf::atom("unsubscrib")>;

} // namespace herd
