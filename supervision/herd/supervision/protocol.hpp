#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/core/atoms.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/supervision/child_spec.hpp"
#include "herd/supervision/health_state.hpp"
#include "herd/supervision/health_view.hpp"

/// The protocols of the health monitor and the supervisor: their atoms (CAF 0.17 atoms, at most
/// 10 characters) and typed handles. The shared atoms (heartbeat, isolate, stuck, tick,
/// subscribe, stats) are in herd/core/atoms.hpp.
namespace herd {

// -- atoms ------------------------------------------------------------------------------------

/// Registers an agent with the health monitor:
/// `(track_atom, caf::actor agent, std::string name, supervisor_actor supervisor)` (invalid
/// supervisor: unsupervised, isolated but not replaced).
using track_atom = caf::atom_constant<caf::atom("track")>;
/// Stops watching an agent: `(untrack_atom, std::string name)`.
using untrack_atom = caf::atom_constant<caf::atom("untrack")>;
/// The health monitor suspects an agent (hung or dead without a down message); sent to its
/// supervisor: `(suspect_atom, caf::actor agent, std::string name, std::string reason)`.
using suspect_atom = caf::atom_constant<caf::atom("suspect")>;
/// A supervisor tells the health monitor what it does with an agent:
/// `(state_atom, std::string name, health_state state)` with state restarting or stopped.
using state_atom = caf::atom_constant<caf::atom("state")>;
/// Asks the health monitor for its health view: `(health_atom) -> health_view`.
using health_atom = caf::atom_constant<caf::atom("health")>;
/// Asks the health monitor how many agents it tracks (cheap, unlike the view):
/// `(tracked_count_atom) -> uint64_t`.
using tracked_count_atom = caf::atom_constant<caf::atom("tracked")>;
/// A supervisor's own restart timer: `(restart_atom, uint64_t batch)`.
using restart_atom = caf::atom_constant<caf::atom("restart")>;
/// Tells the on-restart listener that a child has a new incarnation:
/// `(restarted_atom, std::string child_id, caf::actor old_incarnation, caf::actor
/// new_incarnation)`.
using restarted_atom = caf::atom_constant<caf::atom("restarted")>;
/// A supervisor's own shutdown-timeout timer: `(brutal_atom, caf::actor child)` kills a child
/// that did not stop in time.
using brutal_atom = caf::atom_constant<caf::atom("brutalkill")>;
/// An event of a health monitor or supervisor, sent to subscribers:
/// `(sup_event_atom, supervision_event)`.
using sup_event_atom = caf::atom_constant<caf::atom("supevent")>;
/// Adds a child to a running supervisor, started at once after the others (OTP's start_child):
/// `(add_child_atom, child_spec)`; local only (a spec holds a function).
using add_child_atom = caf::atom_constant<caf::atom("addchild")>;
/// Asks a supervisor for its children: `(children_atom) -> std::vector<caf::actor>` in spec
/// order; a child that is not running has an invalid handle.
using children_atom = caf::atom_constant<caf::atom("children")>;

/// A pool's autoscaler adds an agent to a running supervisor, started at once, and the
/// supervisor emits a `scaled_up` event with `why`: `(scale_up_atom, child_spec, std::string
/// why)`; local only.
using scale_up_atom = caf::atom_constant<caf::atom("scaleup")>;
/// A pool's autoscaler removes a child for good (after the dispatcher retired it): the
/// supervisor stops it (not restarted), stops watching it and emits a `scaled_down` event:
/// `(scale_down_atom, caf::actor child, std::string why)`.
using scale_down_atom = caf::atom_constant<caf::atom("scaledown")>;

/// Asks a pool's autoscaler for the size it decided: `(pool_size_atom) -> int32_t`.
using pool_size_atom = caf::atom_constant<caf::atom("poolsize")>;

// -- typed handles ----------------------------------------------------------------------------

/// A supervisor (see `supervisor` for what each message does). `add_child_atom` carries a
/// `child_spec`, which holds a function: local only. `restart_atom` and `brutal_atom` are its
/// own timers. A supervisor that is a child of another one is handled as `caf::actor` there
/// (`child_spec::start` returns `caf::actor`; `caf::actor_cast` between the two).
using supervisor_actor = caf::typed_actor<
    caf::reacts_to<suspect_atom, caf::actor, std::string, std::string>,
    caf::reacts_to<restart_atom, uint64_t>, caf::reacts_to<brutal_atom, caf::actor>,
    caf::reacts_to<subscribe_atom, caf::actor>, caf::reacts_to<add_child_atom, child_spec>,
    caf::replies_to<children_atom>::with<std::vector<caf::actor>>,
    caf::reacts_to<scale_up_atom, child_spec, std::string>,
    caf::reacts_to<scale_down_atom, caf::actor, std::string>>;

/// The health monitor (see `health_monitor` for what each message does). Agents heartbeat to it
/// and the dispatcher reports stuck leases to it through untyped `caf::actor` handles
/// (`caf::actor_cast`); `tick_atom` is its own check timer.
using health_monitor_actor = caf::typed_actor<
    caf::reacts_to<track_atom, caf::actor, std::string, supervisor_actor>,
    caf::reacts_to<track_atom, caf::actor, std::string, supervisor_actor, uint64_t>,
    caf::reacts_to<untrack_atom, std::string>,
    caf::reacts_to<heartbeat_atom, std::string, uint64_t>,
    caf::reacts_to<stuck_atom, std::string, std::string>,
    caf::reacts_to<state_atom, std::string, health_state>,
    caf::replies_to<health_atom>::with<health_view>,
    caf::replies_to<tracked_count_atom>::with<uint64_t>, caf::reacts_to<subscribe_atom, caf::actor>,
    caf::reacts_to<tick_atom, uint64_t>>;

/// A pool's autoscaler (see `pool_autoscaler`): `tick_atom` is its own sampling timer;
/// `(pool_size_atom) -> int32_t` answers the size it decided.
using pool_autoscaler_actor = caf::typed_actor<caf::reacts_to<tick_atom, uint64_t>,
                                               caf::replies_to<pool_size_atom>::with<int32_t>>;

/// The memory watchdog (see `memory_watchdog`): `tick_atom` is its own check timer;
/// `(subscribe_atom, actor)` sends `actor` its `(sup_event_atom, supervision_event)` events.
using memory_watchdog_actor = caf::typed_actor<caf::reacts_to<tick_atom, uint64_t>,
                                               caf::reacts_to<subscribe_atom, caf::actor>>;

} // namespace herd
