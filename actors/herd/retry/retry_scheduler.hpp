#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/retry/protocol.hpp"
#include "herd/retry/retry_lanes.hpp"
#include "herd/retry/retry_scheduler_config.hpp"
#include "herd/retry/retry_scheduler_peers.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// The dispatcher's failure sink: sees every failed attempt of every agent and decides, per the
/// task kind's `failure_policy`, to retry it later, dead-letter it or escalate it. All pending
/// retries live in one timer queue served by a single actor-clock timer. Retries are grouped
/// per service: held while the service's breaker is open, capped by its retry budget and
/// released at the pace of its adaptive pacer. The decisions are `retry_lanes`'; this actor
/// turns messages into calls on it and its actions into sends and a timer.
///
/// Protocol (atoms in herd/retry/protocol.hpp and herd/core/atoms.hpp):
/// - `(retry_atom, task)`: an attempt failed (its failure is the newest history entry); a
///   failure the task's policy retries costs its service one budget token, others cost none. A
///   retry goes back later as `(resubmit_atom, task)` with attempt + 1 to the dispatcher; a task
///   out of attempts (or not retryable) is handed to the DLQ as a request
///   `(dlq_settle_atom, task, dead_letter_reason, why)`, one that needs a person to the
///   escalation queue as `(escalate_atom, task, why)`: the queue settles it with the dispatcher
///   once it is durable. Without that queue among its peers (or when it answers an error), the
///   scheduler settles the task itself as `(settle_atom, outcome)` with status failed.
/// - `breaker_transition`: the breaker keyed by a service's name changed state (per-agent
///   breakers, keyed "agent/service", are ignored). While it is open or forced_open the
///   service's due retries are held; half_open, or closed straight from open, restarts the
///   service's pacer at its initial rate (a ramp, not a wall); closed also refills its budget.
/// - `(observe_atom, service, int32_t successes, int32_t failures)`: calls the scheduler does
///   not see otherwise; wire successes here (failures already arrive as `retry_atom`). Each
///   success refunds `token_ratio` budget tokens; each failure costs one token and counts
///   against the pacer. Negative counts are ignored.
/// - `(handback_atom) -> std::vector<task>`: returns every pending retry, settles each with the
///   dispatcher as handed_back and forgets it (shutdown).
class retry_scheduler : public retry_scheduler_actor::base {
public:
  /// A scheduler with `config` and the failure policies by task kind (kinds without an entry
  /// take the entry `fallback_policy`, default "default") and the fallback chains by task kind
  /// (default: none), talking to `peers`, counting into `metrics`. Throws
  /// `std::invalid_argument` when `peers` has no dispatcher.
  retry_scheduler(caf::actor_config& cfg, retry_scheduler_config config,
                  std::map<std::string, failure_policy> policies, retry_scheduler_peers peers,
                  std::shared_ptr<metrics_registry> metrics,
                  std::string fallback_policy = "default", fallback_config fallbacks = {});

  /// The actor's name in logs: "herd.retry_scheduler".
  const char* name() const override { return "herd.retry_scheduler"; }

protected:
  behavior_type make_behavior() override;
  /// Lets go of its peers.
  void on_exit() override;

private:
  void on_attempt_failed(task t);
  void on_transition(const breaker_transition& x);
  void on_observe(const std::string& service, int32_t successes, int32_t failures);
  void on_tick(uint64_t generation);
  std::vector<task> on_handback();

  /// Turns what `lanes_` asks for into sends and a timer.
  void act();
  void finish(task t, const retry_decision& verdict);
  /// Ends `t` with `status` at the dispatcher (failed, handed_back: the scheduler's own ends).
  void settle(const task& t, outcome_status status, const std::string& why);

  std::shared_ptr<spdlog::logger> log_;
  retry_scheduler_peers peers_;
  retry_lanes lanes_;
};

} // namespace herd
