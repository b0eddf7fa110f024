#pragma once

#include <caf/atom.hpp>

/// Message atoms of herd's actor protocols (CAF 0.17 atoms: at most 10 characters).
namespace herd {

/// Hands a task to the dispatcher: `(submit_atom, task)`, replies with the final `outcome`.
using submit_atom = caf::atom_constant<caf::atom("submit")>;
/// Re-enters a task that herd already accepted (retry, replay): `(resubmit_atom, task)`.
using resubmit_atom = caf::atom_constant<caf::atom("resubmit")>;
/// Gives an agent leased tasks, batched under load:
/// `(lease_atom, std::vector<uint64_t> lease_ids, std::vector<task> tasks)`.
using lease_atom = caf::atom_constant<caf::atom("lease")>;
/// An agent's report on a lease: `(report_atom, lease_id, outcome)`, or on several at once:
/// `(report_atom, std::vector<uint64_t> lease_ids, std::vector<outcome> outcomes)`.
using report_atom = caf::atom_constant<caf::atom("report")>;
/// Registers an agent with the dispatcher: `(join_atom, pool, agent, name, concurrency)`.
using join_atom = caf::atom_constant<caf::atom("join")>;
/// Removes an agent from its pool: `(leave_atom, agent)`.
using leave_atom = caf::atom_constant<caf::atom("leave")>;
/// Stops leasing to an agent and re-queues its leases: `(isolate_atom, agent)`.
using isolate_atom = caf::atom_constant<caf::atom("isolate")>;
/// Resumes leasing to an isolated agent: `(resume_atom, agent)`.
using resume_atom = caf::atom_constant<caf::atom("resume")>;
/// Ends a waiting task with a terminal state decided outside the dispatcher:
/// `(settle_atom, outcome)` (status dead_lettered, escalated, failed or handed_back).
using settle_atom = caf::atom_constant<caf::atom("settle")>;
/// Stops intake and replies once nothing is pending: `(drain_atom)`.
using drain_atom = caf::atom_constant<caf::atom("drain")>;
/// Returns every task that is not finished and forgets it: `(handback_atom)`.
using handback_atom = caf::atom_constant<caf::atom("handback")>;
/// Asks an actor for its statistics: `(stats_atom)`.
using stats_atom = caf::atom_constant<caf::atom("stats")>;
/// Configures an actor after spawning it: `(setup_atom, settings)`.
using setup_atom = caf::atom_constant<caf::atom("setup")>;
/// A liveness signal from an agent: `(heartbeat_atom, name, sequence)`.
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
/// An actor's own timer tick: `(tick_atom, generation)`.
using tick_atom = caf::atom_constant<caf::atom("tick")>;
/// Sets the actor that receives failed outcomes (the retry scheduler): `(sink_atom, actor)`.
using sink_atom = caf::atom_constant<caf::atom("sink")>;
/// Sets the actor that learns about expired leases (the health monitor): `(watch_atom, actor)`.
using watch_atom = caf::atom_constant<caf::atom("watch")>;
/// Reports an expired lease: `(stuck_atom, agent, task_id)`.
using stuck_atom = caf::atom_constant<caf::atom("stuck")>;
/// A call to a downstream service: `(call_atom, request_json)`, replies with an `outcome`.
using call_atom = caf::atom_constant<caf::atom("call")>;

/// The dispatcher's reminder to itself to lease the queued tasks of a pool: `(dispatch_atom,
/// pool)`.
using dispatch_atom = caf::atom_constant<caf::atom("dispatch")>;
/// Subscribes an actor to an actor's events (breaker transitions, alerts): `(subscribe_atom,
/// actor)`.
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
/// Removes a subscription: `(unsubscribe_atom, actor)`.
using unsubscribe_atom = caf::atom_constant<caf::atom("unsubscrib")>;

} // namespace herd
