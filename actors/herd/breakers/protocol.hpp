#pragma once

#include <caf/atom.hpp>

/// The circuit breakers' protocol: the atoms of a breaker and of the breaker registry (CAF 0.17
/// atoms: at most 10 characters). A breaker also answers `call_atom`, `subscribe_atom`,
/// `unsubscribe_atom` and `tick_atom` of herd/core/atoms.hpp; the registry `caf::get_atom` and
/// `caf::put_atom`.
namespace herd {

/// A breaker's state and numbers: `(breaker_status_atom) -> breaker_status`.
using breaker_status_atom = caf::atom_constant<caf::atom("brk_status")>;
/// Every breaker of the registry, ordered by key: `(breaker_list_atom) -> std::vector<actor>`.
using breaker_list_atom = caf::atom_constant<caf::atom("brk_list")>;

/// Moves a breaker to a state by hand: `(transition_atom, breaker_state) -> breaker_status`.
using transition_atom = caf::atom_constant<caf::atom("transition")>;
/// Closes a breaker and forgets its window and openings: `(reset_atom) -> breaker_status`.
using reset_atom = caf::atom_constant<caf::atom("reset")>;
/// Replaces a breaker's policy at run time: `(configure_atom, breaker_policy)` or
/// `(configure_atom, std::string json) -> breaker_status`.
using configure_atom = caf::atom_constant<caf::atom("configure")>;

} // namespace herd
