#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/core/atoms.hpp"
#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter.hpp"
#include "herd/dead_letters/dead_letter_filter.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/dead_letter_stats.hpp"
#include "herd/dead_letters/escalation.hpp"
#include "herd/dead_letters/replay_request.hpp"

/// The protocols of the dead-letter queue and the escalation queue: their atoms (CAF 0.17
/// atoms: at most 10 characters; see dead_letter_queue.hpp and escalation_queue.hpp).
namespace herd {

/// The queue's numbers: `(dlq_stats_atom) -> dead_letter_stats`.
using dlq_stats_atom = caf::atom_constant<caf::atom("dlq_stats")>;

/// Stores a task in the dead-letter queue: `(dead_letter_atom, task, dead_letter_reason)`;
/// replies `(ok_atom)` once it is durable.
using dead_letter_atom = caf::atom_constant<caf::atom("deadletter")>;
/// Hands a task to a human: `(escalate_atom, task, std::string reason)`; replies `(ok_atom)` once
/// it is durable.
using escalate_atom = caf::atom_constant<caf::atom("escalate")>;
/// Dead-letters a task the dispatcher is waiting for: stores it like `dead_letter_atom` and,
/// once it is durable, replies `(ok_atom)` and settles it with the dispatcher as dead_lettered,
/// `why` in the outcome's error: `(dlq_settle_atom, task, dead_letter_reason, std::string why)`.
using dlq_settle_atom = caf::atom_constant<caf::atom("dlq_settle")>;
/// Letters matching a filter: `(dlq_query_atom, dead_letter_filter) -> std::vector<dead_letter>`.
using dlq_query_atom = caf::atom_constant<caf::atom("dlq_query")>;
/// One letter: `(dlq_get_atom, std::string task_id) -> dead_letter`.
using dlq_get_atom = caf::atom_constant<caf::atom("dlq_get")>;
/// Starts a replay: `(dlq_replay_atom, dead_letter_filter, double rate) -> replay_request`.
using dlq_replay_atom = caf::atom_constant<caf::atom("dlq_replay")>;
/// A replay's progress: `(dlq_progress_atom, int64_t replay_id) -> replay_request`.
using dlq_progress_atom = caf::atom_constant<caf::atom("dlq_prog")>;
/// Stops a replay: `(dlq_cancel_atom, int64_t replay_id) -> replay_request`.
using dlq_cancel_atom = caf::atom_constant<caf::atom("dlq_cancel")>;
/// Closes a letter: `(dlq_resolve_atom, std::string task_id, std::string note) -> bool`.
using dlq_resolve_atom = caf::atom_constant<caf::atom("dlq_resolv")>;
/// Deletes letters: `(dlq_purge_atom, dead_letter_filter) -> int64_t`.
using dlq_purge_atom = caf::atom_constant<caf::atom("dlq_purge")>;
/// The event a subscriber gets when the depth reaches the alert threshold:
/// `(dlq_alert_atom, int64_t depth, int64_t threshold)`.
using dlq_alert_atom = caf::atom_constant<caf::atom("dlq_alert")>;
/// The event the runtime's escalation listeners get once an escalation is stored (sent by the
/// escalation hook the runtime installs):
/// `(esc_opened_atom, std::string task_id, std::string kind, std::string pool,
/// std::string reason)` (never the payload).
using esc_opened_atom = caf::atom_constant<caf::atom("esc_opened")>;
/// Internal: commits the letters collected so far.
using dlq_flush_atom = caf::atom_constant<caf::atom("dlq_flush")>;
/// Internal: sends the next replayed tasks: `(dlq_pace_atom, int64_t replay_id)`.
using dlq_pace_atom = caf::atom_constant<caf::atom("dlq_pace")>;
/// Internal: looks for replay requests in the database: `(dlq_poll_atom)`.
using dlq_poll_atom = caf::atom_constant<caf::atom("dlq_poll")>;

/// Escalations: `(esc_query_atom, std::string status) -> std::vector<escalation>` ("" = all).
using esc_query_atom = caf::atom_constant<caf::atom("esc_query")>;
/// Closes an open escalation: `(esc_resolve_atom, std::string task_id, std::string note) -> bool`.
using esc_resolve_atom = caf::atom_constant<caf::atom("esc_resolv")>;
/// Resubmits an open escalation, with a new payload unless it is "":
/// `(esc_amend_atom, std::string task_id, std::string payload_json, std::string note) -> bool`.
using esc_amend_atom = caf::atom_constant<caf::atom("esc_amend")>;
/// Internal: an escalation's timeout: `(esc_expire_atom, std::string task_id, uint64_t gen)`.
using esc_expire_atom = caf::atom_constant<caf::atom("esc_expire")>;
/// Internal: looks for the decisions `herd escalations` wrote to the database: `(esc_poll_atom)`.
using esc_poll_atom = caf::atom_constant<caf::atom("esc_poll")>;

/// The dead-letter queue's typed handle (see dead_letter_queue.hpp); flush, depth, pace and
/// poll are its own timers.
using dead_letter_queue_actor = caf::typed_actor<
    caf::replies_to<dead_letter_atom, task, dead_letter_reason>::with<caf::ok_atom>,
    caf::replies_to<dlq_settle_atom, task, dead_letter_reason, std::string>::with<caf::ok_atom>,
    caf::replies_to<dlq_query_atom, dead_letter_filter>::with<std::vector<dead_letter>>,
    caf::replies_to<dlq_get_atom, std::string>::with<dead_letter>,
    caf::replies_to<dlq_stats_atom>::with<dead_letter_stats>,
    caf::replies_to<dlq_replay_atom, dead_letter_filter, double>::with<replay_request>,
    caf::replies_to<dlq_progress_atom, int64_t>::with<replay_request>,
    caf::replies_to<dlq_cancel_atom, int64_t>::with<replay_request>,
    caf::replies_to<dlq_resolve_atom, std::string, std::string>::with<bool>,
    caf::replies_to<dlq_purge_atom, dead_letter_filter>::with<int64_t>,
    caf::reacts_to<subscribe_atom, caf::actor>, caf::reacts_to<unsubscribe_atom, caf::actor>,
    caf::reacts_to<subscribe_atom, caf::actor, int64_t>, caf::reacts_to<dlq_flush_atom>,
    caf::reacts_to<dlq_pace_atom, int64_t>, caf::reacts_to<dlq_poll_atom>>;

/// The escalation queue's typed handle (see escalation_queue.hpp); `esc_expire_atom` and
/// `esc_poll_atom` are its own timers.
using escalation_queue_actor = caf::typed_actor<
    caf::replies_to<escalate_atom, task, std::string>::with<caf::ok_atom>,
    caf::replies_to<esc_query_atom, std::string>::with<std::vector<escalation>>,
    caf::replies_to<esc_resolve_atom, std::string, std::string>::with<bool>,
    caf::replies_to<esc_amend_atom, std::string, std::string, std::string>::with<bool>,
    caf::reacts_to<esc_expire_atom, std::string, uint64_t>, caf::reacts_to<esc_poll_atom>>;

} // namespace herd
