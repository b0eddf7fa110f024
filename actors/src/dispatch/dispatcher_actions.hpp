#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/message.hpp>

#include "dispatch/id_index.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// What a call on `dispatcher_state` asks its actor to do. The actor acts on every field, then
/// calls `clear()`; the vectors keep their capacity, so acting allocates nothing per task.
struct dispatcher_actions {
  /// A lease message for one agent: `(lease_atom, std::vector<uint64_t> ids, std::vector<task>)`.
  struct lease_batch {
    /// The agent, as the actor named it in `join`.
    uint64_t agent = 0;
    /// The message to send it (the state keeps a share of it for take-backs: no copy).
    caf::message msg;
  };
  /// A task that reached a terminal state.
  struct settlement {
    /// Whose submitters wait for it: the handle `submit` returned (`id_index::npos`: nobody).
    uint32_t waiters = id_index::npos;
    /// The reply to deliver, `(outcome)`, built once for every waiter.
    caf::message msg;
    /// The number of its journal record: delivered once the journal committed it (0: at once,
    /// no journal or nothing journaled). Default: 0.
    uint64_t journal_seq = 0;
    /// Its outcome.
    const outcome& result() const { return msg.get_as<outcome>(0); }
  };
  /// A lease that expired.
  struct stuck_lease {
    /// The agent that held it.
    std::string agent;
    /// Its task.
    std::string task_id;
  };

  /// Completed tasks of one service.
  struct service_successes {
    /// The service. Default: empty.
    std::string service;
    /// How many of its tasks completed. Default: 0.
    int32_t count = 0;
  };

  /// Lease messages to send, one per agent. Default: none.
  std::vector<lease_batch> leases;
  /// Outcomes to deliver to the submitters. Default: none.
  std::vector<settlement> settled;
  /// Failed tasks for the retry scheduler (their last failure is the newest history entry).
  /// Default: none.
  std::vector<task> retries;
  /// Submitted tasks of kinds with a fallback chain, for the retry scheduler to route
  /// (`(route_atom, task)`); each waits meanwhile. Default: none.
  std::vector<task> routes;
  /// Tasks with a service that completed, counted per service (the retry scheduler refunds its
  /// budgets). Default: none.
  std::vector<service_successes> successes;
  /// Expired leases to report to the subscribers. Default: none.
  std::vector<stuck_lease> stuck;
  /// Pools to lease for once the mailbox is handled (`(dispatch_atom, pool)`). Default: none.
  std::vector<std::string> reminders;
  /// True if a lease timer must be armed for `timer_due` with `timer_generation`. Default: false.
  bool arm_timer = false;
  /// When the armed timer is due. Default: epoch.
  time_point timer_due;
  /// The generation to pass back to `expire`. Default: 0.
  uint64_t timer_generation = 0;
  /// True once draining and nothing is pending: the drain waiters get the stats. Default: false.
  bool drained = false;

  /// Counts one completed task of `service` in `successes`.
  void count_success(const std::string& service);
  /// Forgets every action (keeps the capacity).
  void clear();
};

} // namespace herd
