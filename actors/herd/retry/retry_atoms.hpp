#pragma once

#include <caf/atom.hpp>

/// Message atoms of the retry scheduler's own protocol (CAF 0.17 atoms: at most 10 characters).
namespace herd {

/// Tells the retry scheduler where retries go: `(dispatcher_atom, actor)`.
using dispatcher_atom = caf::atom_constant<caf::atom("dispatcher")>;
/// Tells the retry scheduler the dead-letter queue: `(dlq_atom, actor)`.
using dlq_atom = caf::atom_constant<caf::atom("dlq")>;
/// Tells the retry scheduler the escalation queue: `(escalation_atom, actor)`.
using escalation_atom = caf::atom_constant<caf::atom("escalation")>;
/// Reports the result of one call to a service, feeding its retry budget:
/// `(observe_atom, std::string service, bool success)`.
using observe_atom = caf::atom_constant<caf::atom("observe")>;

} // namespace herd
