#pragma once

#include <cstdint>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/admission/admission_stats.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/time.hpp"

/// The admission gates' protocol (CAF 0.17 atoms: at most 10 characters).
namespace herd {

/// An admission gate's numbers: `(admission_stats_atom) -> admission_stats`.
using admission_stats_atom = caf::atom_constant<caf::atom("adm_stats")>;

/// An admission gate's typed handle (see admission_gate.hpp). It answers `(call_atom, request)`
/// and `(call_atom, request, deadline)` like the service behind it (which it calls with
/// `(call_atom, request)`); `(caf::put_atom, service)` replaces that service; a
/// `breaker_transition` of the service's breaker to open refuses the calls waiting; `tick_atom`
/// is its own timer.
using admission_gate_actor =
    caf::typed_actor<caf::replies_to<call_atom, std::string>::with<outcome>,
                     caf::replies_to<call_atom, std::string, time_point>::with<outcome>,
                     caf::reacts_to<caf::put_atom, caf::actor>, caf::reacts_to<breaker_transition>,
                     caf::replies_to<admission_stats_atom>::with<admission_stats>,
                     caf::reacts_to<tick_atom, uint64_t>>;

} // namespace herd
