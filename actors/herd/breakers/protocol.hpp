#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/breakers/breaker_policy.hpp"
#include "herd/breakers/breaker_state.hpp"
#include "herd/breakers/breaker_status.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/time.hpp"

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

/// A circuit breaker's typed handle (see circuit_breaker.hpp). It answers `(call_atom, request)`
/// exactly like the service behind it, so agents call it through a `caf::actor` unchanged;
/// `tick_atom` is its own timer.
using circuit_breaker_actor =
    caf::typed_actor<caf::replies_to<call_atom, std::string>::with<outcome>,
                     caf::replies_to<call_atom, std::string, time_point>::with<outcome>,
                     caf::reacts_to<caf::put_atom, caf::actor>,
                     caf::reacts_to<subscribe_atom, caf::actor>,
                     caf::reacts_to<unsubscribe_atom, caf::actor>,
                     caf::replies_to<transition_atom, breaker_state>::with<breaker_status>,
                     caf::replies_to<reset_atom>::with<breaker_status>,
                     caf::replies_to<configure_atom, breaker_policy>::with<breaker_status>,
                     caf::replies_to<configure_atom, std::string>::with<breaker_status>,
                     caf::replies_to<breaker_status_atom>::with<breaker_status>,
                     caf::reacts_to<tick_atom, uint64_t>>;

/// The breaker registry's typed handle (see breaker_registry.hpp). Breakers are handed out as
/// `caf::actor`, the handle agents call services through.
using breaker_registry_actor =
    caf::typed_actor<caf::reacts_to<caf::put_atom, std::string, caf::actor>,
                     caf::replies_to<caf::get_atom, std::string>::with<caf::actor>,
                     caf::replies_to<caf::get_atom, std::string, std::string>::with<caf::actor>,
                     caf::reacts_to<subscribe_atom, caf::actor>,
                     caf::reacts_to<unsubscribe_atom, caf::actor>,
                     caf::reacts_to<configure_atom, std::string, breaker_policy>,
                     caf::replies_to<breaker_list_atom>::with<std::vector<caf::actor>>>;

} // namespace herd
