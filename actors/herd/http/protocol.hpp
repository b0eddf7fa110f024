#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/core/atoms.hpp"
#include "herd/core/outcome.hpp"

/// The HTTP services' protocol (CAF 0.17 atoms: at most 10 characters).
namespace herd {

/// An HTTP service's typed handle (see http_service.hpp). It answers `(call_atom, request_json)`
/// like every herd service, so it sits behind a circuit breaker and is added to a runtime with
/// `add_service` (as `caf::actor_cast<caf::actor>(handle)`).
using http_service_actor = caf::typed_actor<caf::replies_to<call_atom, std::string>::with<outcome>>;

} // namespace herd
