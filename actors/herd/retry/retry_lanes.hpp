#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "herd/breakers/breaker_state.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/task.hpp"
#include "herd/core/time.hpp"
#include "herd/degradation/chain_planner.hpp"
#include "herd/degradation/fallback_config.hpp"
#include "herd/retry/adaptive_pacer.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/retry/retry_actions.hpp"
#include "herd/retry/retry_budget.hpp"
#include "herd/retry/retry_decision.hpp"
#include "herd/retry/retry_planner.hpp"
#include "herd/retry/retry_scheduler_config.hpp"
#include "herd/retry/timer_queue.hpp"

namespace herd {

/// The retry scheduler's logic without an actor: pending retries in one timer queue, grouped
/// per service into lanes that hold due retries while the service's breaker is open, cap them
/// by its retry budget and release them at the pace of its adaptive pacer. Every call takes
/// the time and leaves what the owner must do in `actions()`: tasks to resubmit, tasks to end
/// with their verdict, and a timer to arm.
///
/// Task kinds with a fallback chain (`fallback_config`) take every chain decision here, where
/// the breaker states and next probes are known: `route` picks a submitted task's first tier
/// and each failed attempt goes through a `chain_planner` rebuilt from the task
/// (`fallback_router`). A new tier is resubmitted at once; the same tier again after the
/// policy's backoff, through its lane (a due retry whose breaker is open is decided anew, so
/// the chain skips it); a task with every tier unavailable parks in the timer queue until the
/// earliest next probe (or a breaker leaves open); a tier whose admission queue refused the
/// call (full) is skipped like an open one, and the refused call is not an attempt; a human
/// tier is escalated; a chain that
/// gives up ends by the policy (`on_exhausted`; a failure it does not retry by
/// `retry_planner`, like any other).
class retry_lanes {
public:
  /// The counters of one (kind, service) pair.
  struct kind_counters {
    /// Retries put in the timer queue.
    counter* scheduled;
    /// Retries sent back to the dispatcher.
    counter* released;
    /// Tasks out of attempts or past their retry deadline.
    counter* exhausted;
    /// Retries that came due while their service's breaker was open.
    counter* held_by_breaker;
    /// Retries that came due while their service's retry budget was spent.
    counter* waited_for_budget;
    /// Tasks ended as dead-lettered.
    counter* ended_dead_lettered;
    /// Tasks ended as escalated.
    counter* ended_escalated;
    /// Tasks ended as failed (no queue, or the queue refused them).
    counter* ended_failed;
  };

  /// Lanes with `config` (default: budget and pacing on, budget waits) and the failure policies
  /// by task kind, counting into `metrics` (a private registry when null); kinds without an
  /// entry take the entry `fallback_policy` (default: "default"; the runtime refuses such
  /// kinds at submit unless its config names a fallback), and the fallback chains by task kind
  /// (default: none).
  retry_lanes(retry_scheduler_config config, std::map<std::string, failure_policy> policies,
              std::shared_ptr<metrics_registry> metrics, std::string fallback_policy = "default",
              fallback_config fallbacks = {});

  // -- what the scheduler is told --------------------------------------------------------------

  /// Attempt `t.attempt` of `t` failed at `now` (its newest history entry): schedules a retry
  /// or ends the task.
  void attempt_failed(task t, time_point now);
  /// A breaker changed state at `now`; per-agent breakers ("agent/service") change nothing.
  void transition(const breaker_transition& x, time_point now);
  /// `successes` and `failures` of calls to `service` at `now` that the scheduler does not see
  /// otherwise (negative counts count as 0).
  void observe(const std::string& service, int32_t successes, int32_t failures, time_point now);
  /// The timer `generation` ticked at `now`: releases what is due and may go.
  void tick(uint64_t generation, time_point now);
  /// A submitted task `t` of a kind with a fallback chain, at `now`: moves it onto the first
  /// tier that can take it (resubmitted at once), parks it, escalates it (a human tier) or ends
  /// it. A kind without a chain is resubmitted as it is.
  void route(task t, time_point now);
  /// `service` exists (a breaker is in front of it): chain tiers may name it. A service tier
  /// whose service is not known when a task reaches it ends that task (`on_non_retryable`).
  void know_service(const std::string& service);
  /// Forgets and returns every pending retry and parked task, sorted by task id (shutdown).
  std::vector<task> hand_back();

  // -- properties ------------------------------------------------------------------------------

  /// True if a transition of breaker `x.key` holds or releases a whole service's retries.
  static bool applies(const breaker_transition& x) {
    return x.key == x.service || x.service.empty();
  }
  /// The service whose lane a failed `t` is paced in: the one that failed, else the task's.
  static const std::string& service_of(const task& t);
  /// When the first attempt of `t` started, as herd_retry_oldest_age_seconds counts it: when it
  /// was accepted (`created`); for a replayed task, when the first attempt of its latest replay
  /// failed (the history keeps no start times); `now` if the task carries neither.
  static time_point first_attempt_start(const task& t, time_point now);
  /// Pending retries, waiting in the timer queue or held in a lane.
  size_t pending() const { return pending_.size(); }
  /// Tasks parked until a tier of their chain may be back.
  size_t parked() const { return parked_.size(); }
  /// The fallback chains by task kind.
  const fallback_config& fallbacks() const { return fallbacks_; }
  /// Due retries held in the lanes (breaker open, budget spent, pacing).
  size_t held() const { return held_; }
  /// Due retries held in the lane of `service` (0 for a service without a lane).
  size_t held(const std::string& service) const;
  /// The breaker state the lane of `service` knows. Default: closed.
  breaker_state breaker(const std::string& service) const;
  /// The number of the newest armed timer.
  uint64_t generation() const { return queue_.generation(); }
  /// The failure policy of task kind `kind`: its entry, else the fallback's, else the
  /// `failure_policy` defaults.
  const failure_policy& policy_for(const std::string& kind) const;
  /// The counters of (`kind`, `service`), registered on first use.
  kind_counters& counters_for(const std::string& kind, const std::string& service);
  /// What the last calls ask the owner to do.
  retry_actions& actions() { return actions_; }

private:
  struct lane {
    std::string service;
    uint32_t index;
    breaker_state breaker;
    std::deque<uint64_t> held;
    adaptive_pacer pacer;
    retry_budget budget;
    time_point wake_at;
    bool wake_armed;
    bool budget_blocked;
    gauge* held_by_breaker;
    gauge* waiting_for_budget;
    gauge* tokens;
    gauge* rate;
    gauge* oldest_age;
    gauge* oldest_start; // wall clock: an alert's time() - it keeps growing between events
    std::multiset<time_point> starts; // first_attempt_start of each pending retry in the lane
    time_point probe_at;              // the breaker's next probe while open; epoch = unknown
  };

  struct parked_task {
    task work;
    size_t position; // the tier its chain stopped at
  };

  struct pending_retry {
    task work;
    uint32_t lane;
    time_point started; // first_attempt_start(work), its entry in the lane's starts
  };

  /// Schedules a retry of `t` per `verdict` in lane `l` (or ends it if it is not a retry).
  void schedule(task t, retry_decision verdict, lane& l, time_point now);
  /// Walks `t` down `chain` from tier `position`: with `failed`, its newest history entry is a
  /// failure there that the chain has not seen yet; with `full_until`, the tier at `position`
  /// refused the call (its admission queue is full) and is unavailable until then.
  void advance(task t, const fallback_chain& chain, size_t position, bool failed, time_point now,
               std::optional<time_point> full_until = std::nullopt);
  /// Each tier's availability at `now`: a service tier's breaker open = unavailable until its
  /// next probe.
  std::vector<chain_planner::availability> availability(const fallback_chain& chain) const;
  /// Ends `t` as its chain gave up (`step`) under `policy`.
  void give_up(task t, const chain_step& step, const failure_policy& policy, time_point now);
  /// Decides every parked task again (a breaker left open).
  void unpark_all(time_point now);
  /// Asks the dispatcher to route again the queued tasks that skipped `service`'s tier (its
  /// breaker closed): `actions_.reroute`.
  void reroute_past(const std::string& service);
  /// Counts a chain event of `kind` (herd_fallback_*_total).
  counter& chain_counter(const char* name, const char* help, metric_labels labels);
  void pump(lane& l, time_point now);
  void wake(lane& l, time_point at);
  task take_front(lane& l);
  void end(task t, retry_decision verdict);
  void arm(time_point now);
  void publish(lane& l);
  void publish_ages(time_point now);
  lane& lane_of(const std::string& service, time_point now);
  const lane* find_lane(const std::string& service) const;

  retry_scheduler_config config_;
  std::map<std::string, failure_policy> policies_;
  std::string fallback_policy_;
  fallback_config fallbacks_;
  std::set<std::string> known_services_;
  std::unordered_map<uint64_t, parked_task> parked_;
  std::shared_ptr<metrics_registry> metrics_;
  retry_planner planner_;
  timer_queue queue_;
  std::unordered_map<uint64_t, pending_retry> pending_;
  std::vector<lane> lanes_;
  std::unordered_map<std::string, uint32_t> lane_index_;
  std::vector<uint32_t> touched_;
  uint64_t next_key_ = 0;
  size_t held_ = 0;
  std::map<std::pair<std::string, std::string>, kind_counters> kind_counters_;
  gauge* queue_depth_;
  gauge* held_total_;
  retry_actions actions_;
};

} // namespace herd
