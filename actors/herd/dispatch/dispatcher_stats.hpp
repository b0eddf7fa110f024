#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

namespace herd {

/// The dispatcher's accounting. Every accepted task is pending or in exactly one terminal state:
/// `accepted + reentered == completed + failed + dead_lettered + escalated + handed_back +
/// queued + leased + waiting` at all times (`balanced()`).
struct dispatcher_stats {
  /// Tasks accepted by submit.
  uint64_t accepted = 0;
  /// Settled tasks that came back (dead-letter replay, escalation resubmit).
  uint64_t reentered = 0;
  /// Submits refused (full intake, unknown pool, shutting down, invalid).
  uint64_t rejected = 0;
  /// Submits of an id that was pending or completed; answered without running it again.
  uint64_t duplicates = 0;
  /// Tasks that completed.
  uint64_t completed = 0;
  /// Tasks that failed with no retry scheduler to take them.
  uint64_t failed = 0;
  /// Tasks settled in the dead-letter queue.
  uint64_t dead_lettered = 0;
  /// Tasks settled in escalation.
  uint64_t escalated = 0;
  /// Tasks handed back unfinished at shutdown.
  uint64_t handed_back = 0;
  /// Tasks waiting for an agent.
  uint64_t queued = 0;
  /// Tasks an agent holds.
  uint64_t leased = 0;
  /// Tasks handed to the retry scheduler and not yet back.
  uint64_t waiting = 0;
  /// Re-queues after an expired lease, a dead agent or an isolation.
  uint64_t requeued = 0;
  /// Leases that expired.
  uint64_t leases_expired = 0;
  /// Reports that arrived for a lease that was already taken back (ignored).
  uint64_t stale_reports = 0;
  /// Agents registered.
  uint64_t agents = 0;
  /// Agents isolated.
  uint64_t isolated = 0;
  /// True while an operator has paused intake (new submits are refused). Default: false.
  bool intake_paused = false;
  /// Why intake is paused, as the operator said; empty when it is not.
  std::string pause_reason;
  /// True once shutdown began draining (no submit is accepted again). Default: false.
  bool draining = false;

  /// Tasks not yet in a terminal state.
  uint64_t pending() const { return queued + leased + waiting; }
  /// Tasks in a terminal state.
  uint64_t settled() const { return completed + failed + dead_lettered + escalated + handed_back; }
  /// True when every accepted task is accounted for exactly once.
  bool balanced() const { return accepted + reentered == settled() + pending(); }
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Makes `dispatcher_stats` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dispatcher_stats& x) {
  return f(caf::meta::type_name("herd::dispatcher_stats"), x.accepted, x.reentered, x.rejected,
           x.duplicates, x.completed, x.failed, x.dead_lettered, x.escalated, x.handed_back,
           x.queued, x.leased, x.waiting, x.requeued, x.leases_expired, x.stale_reports, x.agents,
           x.isolated, x.intake_paused, x.pause_reason, x.draining);
}

} // namespace herd
