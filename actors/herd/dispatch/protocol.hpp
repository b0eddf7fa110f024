#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/core/atoms.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/dispatch/pool_load.hpp"

/// The dispatch feature's protocol: its atoms, the dispatcher's typed handle and the messages
/// between the dispatcher and its (dynamically typed) agents, including what other features send
/// the dispatcher (resubmit, settle, isolate) and agents' heartbeats. Atoms several actors
/// answer alike (handback, tick, call, subscribe) live in herd/core/atoms.hpp.
namespace herd {

/// Hands a task to the dispatcher: `(submit_atom, task)`, replies with the final `outcome`.
using submit_atom = caf::atom_constant<caf::atom("submit")>;
/// Hands a task to the dispatcher for an acknowledgement: `(enqueue_atom, task) -> std::string`
/// replies with the task id once the task is accepted (and, with a journal, durable), without
/// waiting for its outcome; or with the error that refused it.
using enqueue_atom = caf::atom_constant<caf::atom("enqueue")>;
/// The journal writer's word to the dispatcher after a commit: `(journaled_atom, uint64_t seq,
/// std::string error)`: every record numbered up to `seq` is durable (error empty) or failed.
using journaled_atom = caf::atom_constant<caf::atom("journaled")>;
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
/// Resumes leasing to an isolated agent: `(resume_atom, agent)`.
using resume_atom = caf::atom_constant<caf::atom("resume")>;
/// Stops intake and replies once nothing is pending: `(drain_atom) -> dispatcher_stats`.
using drain_atom = caf::atom_constant<caf::atom("drain")>;
/// The dispatcher's reminder to itself to lease the queued tasks of a pool: `(dispatch_atom,
/// pool)`.
using dispatch_atom = caf::atom_constant<caf::atom("dispatch")>;
/// Asks the dispatcher for its accounting: `(dispatcher_stats_atom) -> dispatcher_stats`.
using dispatcher_stats_atom = caf::atom_constant<caf::atom("dispstats")>;
/// Closes the one cycle of the system actors, dispatcher <-> retry scheduler, once:
/// `(connect_retry_atom, retry_scheduler)`. The dispatcher is spawned first and told at
/// construction that failed attempts go to a retry scheduler (`failed_attempts::retry`); the
/// retry scheduler is spawned with the dispatcher's handle, then sent to the dispatcher with
/// this message. Accepted once while that retry scheduler lives (a restarted one connects
/// anew); a second connect is an error (`errc::invalid_config`). Failed attempts before it
/// wait in the dispatcher.
using connect_retry_atom = caf::atom_constant<caf::atom("connretry")>;
/// Configures an agent after spawning it: `(setup_atom, agent_settings)`.
using setup_atom = caf::atom_constant<caf::atom("setup")>;
/// Re-enters a task that herd already accepted (retry, replay): `(resubmit_atom, task)`.
using resubmit_atom = caf::atom_constant<caf::atom("resubmit")>;
/// Routes again the queued tasks of a kind that wait on the named tiers and made no attempt in
/// their run (a tier before them is back): `(reroute_atom, string kind, vector<string> tiers)`.
using reroute_atom = caf::atom_constant<caf::atom("reroute")>;
/// Ends a waiting task with a terminal state decided outside the dispatcher:
/// `(settle_atom, outcome)` (status dead_lettered, escalated, failed or handed_back).
using settle_atom = caf::atom_constant<caf::atom("settle")>;
/// Stops leasing to an agent and re-queues its leases: `(isolate_atom, agent)`.
using isolate_atom = caf::atom_constant<caf::atom("isolate")>;
/// Reports an expired lease: `(stuck_atom, agent, task_id)`.
using stuck_atom = caf::atom_constant<caf::atom("stuck")>;
/// A liveness signal from an agent: `(heartbeat_atom, name, sequence)`.
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
/// Pauses or resumes intake (an operator's lever): `(intake_atom, bool paused, std::string
/// reason) -> dispatcher_stats`. While paused, submits are refused with `errc::intake_paused`.
using intake_atom = caf::atom_constant<caf::atom("intake")>;
/// The dispatcher's timer at the reset of the budget window that paused its intake:
/// `(budget_reset_atom, generation)`.
using budget_reset_atom = caf::atom_constant<caf::atom("budgetrst")>;

/// Retires an agent gracefully (scale-down, recycling): `(retire_atom, caf::actor agent) -> bool`.
/// The dispatcher leases nothing more to it and replies true once it holds no lease (every
/// result reported; it has then left its pool), false if it does not know the agent.
using retire_atom = caf::atom_constant<caf::atom("retire")>;
/// An agent's own reminder to look at its recycle policy (max_age): `(recycle_atom)`.
using recycle_atom = caf::atom_constant<caf::atom("recycle")>;
/// Asks for the load of one pool: `(pool_load_atom, std::string pool) -> pool_load`.
using pool_load_atom = caf::atom_constant<caf::atom("poolload")>;
/// The memory watchdog's lever: `(memory_pause_atom, bool paused, std::string reason)`; while
/// paused, submits are refused with `errc::memory_pressure` and `reason` (apart from an
/// operator's pause).
using memory_pause_atom = caf::atom_constant<caf::atom("mempause")>;
// clang-format off
/// The dispatcher's typed handle: one reply type per message.
///
/// | message                                                         | reply                     |
/// |-----------------------------------------------------------------|---------------------------|
/// | `(submit_atom, task)`                                           | `outcome` (or an `errc`)  |
/// | `(enqueue_atom, task)`                                          | task id (or an `errc`)    |
/// | `(journaled_atom, uint64_t seq, string error)`: journal commits | -                         |
/// | `(resubmit_atom, task)`                                         | -                         |
/// | `(reroute_atom, string kind, vector<string> tiers)`             | -                         |
/// | `(report_atom, uint64_t lease_id, outcome)`                     | -                         |
/// | `(report_atom, vector<uint64_t> lease_ids, vector<outcome>)`    | -                         |
/// | `(settle_atom, outcome)`                                        | -                         |
/// | `(join_atom, string pool, actor agent, string name, int32_t)`   | -                         |
/// | `(leave_atom, actor)`, `(isolate_atom, actor)`, `(resume_atom, actor)` | -                  |
/// | `(connect_retry_atom, actor retry_scheduler)`: THE cycle        | - (`errc` if repeated)    |
/// | `(subscribe_atom, actor)`, `(unsubscribe_atom, actor)`          | -                         |
/// | `(drain_atom)`                                                  | `dispatcher_stats`        |
/// | `(handback_atom)`                                               | `std::vector<task>`       |
/// | `(dispatcher_stats_atom)`                                       | `dispatcher_stats`        |
/// | `(intake_atom, bool paused, string reason)`                     | `dispatcher_stats`        |
/// | `(dispatch_atom, string pool)`, `(tick_atom, uint64_t)`         | - (its own reminders)     |
/// | `(retire_atom, actor agent)`: once it holds no lease            | `bool` (false: unknown)   |
/// | `(pool_load_atom, string pool)`                                 | `pool_load`               |
/// | `(memory_pause_atom, bool paused, string reason)`               | -                         |
///
/// What the dispatcher sends its peers: to the connected retry scheduler `(retry_atom, task)`
/// for a failed attempt and `(observe_atom, string service, int32_t successes, int32_t 0)` for
/// the tasks with a service completed by one message it handled; to its subscribers `(stuck_atom, string agent, string task_id)` for an
/// expired lease. Its peers: the retry scheduler (THE cycle, closed by connect_retry_atom), the
/// agents (join_atom) and the subscribers (subscribe_atom); nothing else is wired after spawn.
// clang-format on
using dispatcher_actor = caf::typed_actor<
    caf::replies_to<submit_atom, task>::with<outcome>,
    caf::replies_to<enqueue_atom, task>::with<std::string>,
    caf::reacts_to<journaled_atom, uint64_t, std::string>, caf::reacts_to<resubmit_atom, task>,
    caf::reacts_to<reroute_atom, std::string, std::vector<std::string>>,
    caf::reacts_to<report_atom, uint64_t, outcome>,
    caf::reacts_to<report_atom, std::vector<uint64_t>, std::vector<outcome>>,
    caf::reacts_to<settle_atom, outcome>,
    caf::reacts_to<join_atom, std::string, caf::actor, std::string, int32_t>,
    caf::reacts_to<leave_atom, caf::actor>, caf::reacts_to<isolate_atom, caf::actor>,
    caf::reacts_to<resume_atom, caf::actor>, caf::reacts_to<connect_retry_atom, caf::actor>,
    caf::reacts_to<subscribe_atom, caf::actor>, caf::reacts_to<unsubscribe_atom, caf::actor>,
    caf::replies_to<drain_atom>::with<dispatcher_stats>,
    caf::replies_to<handback_atom>::with<std::vector<task>>,
    caf::replies_to<dispatcher_stats_atom>::with<dispatcher_stats>,
    caf::replies_to<intake_atom, bool, std::string>::with<dispatcher_stats>,
    caf::reacts_to<dispatch_atom, std::string>, caf::reacts_to<tick_atom, uint64_t>,
    caf::reacts_to<budget_reset_atom, uint64_t>,
    caf::replies_to<retire_atom, caf::actor>::with<bool>,
    caf::replies_to<pool_load_atom, std::string>::with<pool_load>,
    caf::reacts_to<memory_pause_atom, bool, std::string>>;

// clang-format off
/// What every agent handles (agents stay dynamically typed: users add `extra_handlers`), and
/// what they send back. Not a handle anyone holds; the one place these signatures are written.
///
/// | from -> to              | message                                                        |
/// |-------------------------|----------------------------------------------------------------|
/// | runtime -> agent        | `(setup_atom, agent_settings)`                                 |
/// | dispatcher -> agent     | `(lease_atom, vector<uint64_t> lease_ids, vector<task> tasks)` |
/// | agent -> dispatcher     | `(report_atom, uint64_t lease_id, outcome)`                    |
/// | agent -> dispatcher     | `(report_atom, vector<uint64_t> lease_ids, vector<outcome>)`   |
/// | agent -> health monitor | `(heartbeat_atom, string name, uint64_t sequence)`             |
/// | agent -> dispatcher     | `(retire_atom, actor self) -> bool`: recycling, then it exits  |
// clang-format on
using agent_protocol =
    caf::typed_actor<caf::reacts_to<setup_atom, agent_settings>,
                     caf::reacts_to<lease_atom, std::vector<uint64_t>, std::vector<task>>>;

} // namespace herd
