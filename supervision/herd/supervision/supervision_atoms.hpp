#pragma once

#include <caf/atom.hpp>

/// Message atoms of the health monitor and supervisor protocols (CAF 0.17 atoms: at most 10
/// characters). The shared ones (heartbeat, isolate, stuck, tick, subscribe) are in herd/atoms.hpp.
namespace herd {

/// Registers an agent with the health monitor:
/// `(track_atom, caf::actor agent, std::string name, caf::actor supervisor)`.
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

} // namespace herd
