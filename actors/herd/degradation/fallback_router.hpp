#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "herd/core/task.hpp"
#include "herd/core/time.hpp"
#include "herd/degradation/chain_planner.hpp"
#include "herd/degradation/fallback_chain.hpp"
#include "herd/retry/failure_policy.hpp"

namespace herd {

/// Keeps a task's place on its fallback chain in the task itself, so no table by task id is
/// needed: `planner_for` rebuilds a `chain_planner` from what the task carries (attempts per
/// tier = its history entries with that `attempt_record::tier`; position = the tier of
/// `task::route`), and `place` moves the task onto a tier (its service, request parameters and
/// pool). No clock, no actor: the retry scheduler calls it on every chain decision.
class fallback_router {
public:
  /// The index of the tier labelled `label` in `chain`; none for an empty or unknown label.
  static std::optional<size_t> tier_index(const fallback_chain& chain, const std::string& label);
  /// The tier `t` is on: the index of `t.route.tier`, else 0 (a task not on the chain yet).
  static size_t position_of(const fallback_chain& chain, const task& t);
  /// The chain's deadline for `t`: the earlier of its own deadline and `created +
  /// policy.retry_deadline` (each when set); the epoch when neither is.
  static time_point deadline_of(const task& t, const failure_policy& policy);
  /// Where the current run of `t` starts in its history: the newest entry numbered 1 (a replay
  /// or amendment starts a new run at attempt 1); 0 when there is none.
  static size_t run_start(const task& t);
  /// True if no call of the current run of `t` reached a service: every failed attempt of the
  /// run was refused before the call (an open breaker, admission control), or there is none.
  static bool made_no_call(const task& t);
  /// A planner for `t` on `chain` under `policy`, resumed at tier `position`: attempts per tier
  /// counted from the entries of `t.history` of its current run (from the newest entry numbered
  /// 1: a replay or amendment starts a new run at attempt 1; none when `fresh`, a task just
  /// entering), except calls admission control refused (never made); with `awaiting`, the newest
  /// history entry is the failure of a try on `position` that the planner has not been told yet
  /// (call `on_failure` next).
  static chain_planner planner_for(const fallback_chain& chain, const failure_policy& policy,
                                   const task& t, size_t position, bool awaiting,
                                   bool fresh = false);
  /// Moves `t` onto tier `index` of `chain`. A service tier: `t.service` = the tier's service,
  /// `t.route` = {label, params (empty when none), home pool empty} and `t.pool` = the
  /// submitter's pool. A rule tier: `t.pool` = the rule's name (its pool), `t.route.home_pool`
  /// = the submitter's pool, no service or params. A human tier: the label, the submitter's
  /// pool.
  static void place(task& t, const fallback_chain& chain, size_t index);
  /// Takes `t` off its chain before it ends elsewhere (dead letter, escalation for a failure):
  /// the tier label cleared, the submitter's pool back. Its history keeps the tiers it ran on.
  static void leave(task& t);
};

} // namespace herd
