#pragma once

#include <caf/atom.hpp>

/// Message atoms of the retry scheduler's own protocol (CAF 0.17 atoms: at most 10 characters).
namespace herd {

/// Reports the result of one call to a service, feeding its retry budget:
/// `(observe_atom, std::string service, bool success)`.
using observe_atom = caf::atom_constant<caf::atom("observe")>;

} // namespace herd
