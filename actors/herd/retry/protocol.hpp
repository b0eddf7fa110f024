#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/task.hpp"

/// The retry scheduler's protocol: its atoms (CAF 0.17 atoms: at most 10 characters). It also
/// answers `tick_atom` and `handback_atom` of herd/core/atoms.hpp.
namespace herd {

/// Hands a failed task (its last failure is the newest history entry) to the failure sink:
/// `(retry_atom, task)`.
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// Reports calls to a service the scheduler did not see, feeding its retry budget:
/// `(observe_atom, std::string service, int32_t successes, int32_t failures)`.
using observe_atom = caf::atom_constant<caf::atom("observe")>;

/// Hands a submitted task of a kind with a fallback chain to the retry scheduler, which picks
/// its first tier (with the breakers' states) and resubmits it: `(route_atom, task)`.
using route_atom = caf::atom_constant<caf::atom("route")>;

/// The retry scheduler's typed handle (see retry_scheduler.hpp); `tick_atom` is its own timer.
using retry_scheduler_actor =
    caf::typed_actor<caf::reacts_to<retry_atom, task>, caf::reacts_to<route_atom, task>,
                     caf::reacts_to<caf::put_atom, std::string>, caf::reacts_to<breaker_transition>,
                     caf::reacts_to<observe_atom, std::string, int32_t, int32_t>,
                     caf::reacts_to<tick_atom, uint64_t>,
                     caf::replies_to<handback_atom>::with<std::vector<task>>>;

} // namespace herd
