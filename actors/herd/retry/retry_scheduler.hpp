#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "herd/breakers/breaker_state.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/retry/adaptive_pacer.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/retry/protocol.hpp"
#include "herd/retry/retry_budget.hpp"
#include "herd/retry/retry_planner.hpp"
#include "herd/retry/retry_scheduler_config.hpp"
#include "herd/retry/retry_scheduler_peers.hpp"
#include "herd/retry/timer_queue.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// The dispatcher's failure sink: sees every failed attempt of every agent and decides, per the
/// task kind's `failure_policy`, to retry it later, dead-letter it or escalate it. All pending
/// retries live in one timer queue served by a single actor-clock timer. Retries are grouped
/// per service: held while the service's breaker is open, capped by its retry budget and
/// released at the pace of its adaptive pacer.
///
/// Protocol (atoms in herd/retry/protocol.hpp and herd/core/atoms.hpp):
/// - `(retry_atom, task)`: an attempt failed (its failure is the newest history entry). A retry
///   goes back later as `(resubmit_atom, task)` with attempt + 1 to the dispatcher; a task out
///   of attempts (or not retryable) is handed to the DLQ as a request
///   `(dlq_settle_atom, task, dead_letter_reason, why)`, one that needs a person to the
///   escalation queue as `(escalate_atom, task, why)`: the queue settles it with the dispatcher
///   once it is durable. Without that queue among its peers (or when it answers an error), the
///   scheduler settles the task itself as `(settle_atom, outcome)` with status failed.
/// - `breaker_transition`: the breaker keyed by a service's name changed state (per-agent
///   breakers, keyed "agent/service", are ignored). While it is open or forced_open the
///   service's due retries are held; half_open, or closed straight from open, restarts the
///   service's pacer at its initial rate (a ramp, not a wall); closed also refills its budget.
/// - `(observe_atom, service, bool success)`: the result of a call the scheduler does not see
///   otherwise; wire successes here (failures already arrive as `retry_atom`). A success
///   refunds `token_ratio` budget tokens; a failure costs one token and counts against the pacer.
/// - `(handback_atom) -> std::vector<task>`: returns every pending retry, settles each with the
///   dispatcher as handed_back and forgets it (shutdown).
class retry_scheduler : public retry_scheduler_actor::base {
public:
  /// A scheduler with `config` and the failure policies by task kind ("default" applies to
  /// kinds without an entry), talking to `peers`, counting into `metrics`. Throws
  /// `std::invalid_argument` when `peers` has no dispatcher.
  retry_scheduler(caf::actor_config& cfg, retry_scheduler_config config,
                  std::map<std::string, failure_policy> policies, retry_scheduler_peers peers,
                  std::shared_ptr<metrics_registry> metrics);

  /// The actor's name in logs: "herd.retry_scheduler".
  const char* name() const override { return "herd.retry_scheduler"; }

protected:
  behavior_type make_behavior() override;

private:
  // The counters of one (kind, service) pair.
  struct kind_metrics {
    counter* scheduled;
    counter* released;
    counter* exhausted;
    counter* held_by_breaker;
    counter* waited_for_budget;
    counter* ended_dead_lettered;
    counter* ended_escalated;
    counter* ended_failed;
  };

  // The retries of one service that are due but not yet released, and what paces them.
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
  };

  struct pending_retry {
    task work;
    uint32_t lane;
  };

  void on_attempt_failed(task t);
  void on_transition(const breaker_transition& x);
  void on_observe(const std::string& service, bool success);
  void on_tick(uint64_t generation);
  std::vector<task> on_handback();

  void pump(lane& l, time_point now);
  void wake(lane& l, time_point at);
  task take_front(lane& l);
  void finish(task t, const retry_decision& verdict);
  /// Ends `t` with `status` at the dispatcher (failed, handed_back: the scheduler's own ends).
  void settle(const task& t, outcome_status status, const std::string& why);
  void arm();
  void publish(lane& l);

  lane& lane_of(const std::string& service);
  const failure_policy& policy_for(const std::string& kind) const;
  kind_metrics& metrics_for(const std::string& kind, const std::string& service);

  retry_scheduler_config config_;
  std::map<std::string, failure_policy> policies_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  retry_scheduler_peers peers_;

  retry_planner planner_;
  timer_queue queue_;
  std::unordered_map<uint64_t, pending_retry> pending_;
  std::vector<lane> lanes_;
  std::unordered_map<std::string, uint32_t> lane_index_;
  uint64_t next_key_ = 0;
  size_t held_ = 0;

  std::map<std::pair<std::string, std::string>, kind_metrics> kind_metrics_;
  gauge* queue_depth_;
  gauge* held_total_;
};

} // namespace herd
