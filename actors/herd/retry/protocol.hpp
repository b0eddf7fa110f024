#pragma once

#include <caf/atom.hpp>

/// The retry scheduler's protocol: its atoms (CAF 0.17 atoms: at most 10 characters). It also
/// answers `tick_atom` and `handback_atom` of herd/core/atoms.hpp.
namespace herd {

/// Hands a failed task (its last failure is the newest history entry) to the failure sink:
/// `(retry_atom, task)`.
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// Reports the result of one call to a service, feeding its retry budget:
/// `(observe_atom, std::string service, bool success)`.
using observe_atom = caf::atom_constant<caf::atom("observe")>;

} // namespace herd
