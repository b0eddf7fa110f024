#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/core/atoms.hpp"
#include "herd/core/time.hpp"
#include "herd/locks/lock_reply.hpp"
#include "herd/locks/lock_request.hpp"

/// The lock manager's protocol (CAF 0.17 atoms: at most 10 characters). Its timer is
/// `tick_atom` of herd/core/atoms.hpp.
namespace herd {

/// Requests a lock: `(lock_acquire_atom, lock_request) -> lock_reply`, answered when granted,
/// refused or when the wait runs out.
using lock_acquire_atom = caf::atom_constant<caf::atom("lk_acquire")>;
/// Releases a lock: `(lock_release_atom, name, token) -> lock_reply`.
using lock_release_atom = caf::atom_constant<caf::atom("lk_release")>;
/// Extends a lease: `(lock_renew_atom, name, token, lease) -> lock_reply` (lease 0 = the
/// grant's own).
using lock_renew_atom = caf::atom_constant<caf::atom("lk_renew")>;
/// Asks whether a token still holds a lock: `(lock_check_atom, name, token) -> lock_reply`.
using lock_check_atom = caf::atom_constant<caf::atom("lk_check")>;
/// Releases every lock of one incarnation of a holder and drops its waits, e.g. an agent the
/// health monitor isolated: `(lock_revoke_atom, holder_name, actor_id)`. A later incarnation
/// under the same name keeps its locks.
using lock_revoke_atom = caf::atom_constant<caf::atom("lk_revoke")>;

/// The lock manager's typed handle (see lock_manager.hpp).
using lock_manager_actor = caf::typed_actor<
    caf::replies_to<lock_acquire_atom, lock_request>::with<lock_reply>,
    caf::replies_to<lock_release_atom, std::string, uint64_t>::with<lock_reply>,
    caf::replies_to<lock_renew_atom, std::string, uint64_t, duration>::with<lock_reply>,
    caf::replies_to<lock_check_atom, std::string, uint64_t>::with<lock_reply>,
    caf::reacts_to<lock_revoke_atom, std::string, uint64_t>, caf::reacts_to<tick_atom, uint64_t>>;

} // namespace herd
