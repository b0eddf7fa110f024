#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/response_promise.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "dispatch/dispatcher_state.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/subscriber_list.hpp"
#include "herd/dispatch/dispatcher_config.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/history/protocol.hpp"
#include "history/task_ledger.hpp"

namespace spdlog {
class logger;
}

namespace herd {

class call_guard;
class journal_writer;

/// Where a dispatcher sends failed attempts; said at construction.
enum class failed_attempts {
  retry,    ///< to the retry scheduler that `(connect_retry_atom, handle)` names
  end_task, ///< nowhere: the task ends as `failed` (a dispatcher without a retry scheduler)
};

/// Routes tasks to agents and knows every task that is not finished.
///
/// Protocol (`dispatcher_actor` in herd/dispatch/protocol.hpp):
/// - `(submit_atom, task) -> outcome`: accepts a task (or replies with an error: intake_full,
///   unknown_pool, unknown_kind when `dispatcher_config::kinds` lacks its kind, shutting_down,
///   invalid_task) and answers with its final outcome. A submit of
///   a completed id answers the recorded outcome; of a pending id, waits for the same outcome.
/// - `(enqueue_atom, task) -> std::string`: accepts a task like submit and replies with its id
///   at once (a duplicate id too), without waiting for its outcome.
/// - With a journal (given at spawn; durability "sync"), every accepted task, failed attempt
///   and terminal state is appended to the journal writer, which commits on its own thread and
///   answers `(journaled_atom, seq, error)`: a submit's outcome and an enqueue's id are only
///   delivered once the records before them are durable. On start the dispatcher recovers from
///   the journal (blocking only its start): completed outcomes answer duplicate submits, and
///   every unfinished task re-enters with its attempt history before any new submit; so a
///   dispatcher restarted by supervision reloads what the one before held.
/// - `(resubmit_atom, task)`: a retry or replay of an accepted task re-enters the queue.
/// - A task of a kind with a fallback chain (`dispatcher_config::chains`) is accepted and
///   waits while the connected retry scheduler picks its tier: it is sent `(route_atom, task)`
///   at submit and at re-entry, and comes back as a resubmit on its tier. Its failed attempts
///   carry their tier (`attempt_record::tier`); its success says `served_by` (the tier) and
///   `degraded` (a tier other than the chain's first). A rule tier whose pool does not exist
///   fails at once (unavailable) and the chain moves on.
/// - `(settle_atom, outcome)`: a waiting task ended elsewhere (dead-lettered, escalated, ...).
/// - `(join_atom, pool, agent, name, concurrency)`, `(leave_atom, agent)`: pool membership.
/// - `(isolate_atom, agent)`, `(resume_atom, agent)`: stop/resume leasing to an agent; isolation
///   re-queues its leases and ignores their late results.
/// - `(connect_retry_atom, retry_scheduler)`: THE one cycle of the system actors, closed once.
///   A dispatcher constructed with `failed_attempts::retry` sends failed attempts to the retry
///   scheduler as `(retry_atom, task)` (holding them until it is connected; a task without a
///   service takes its failure's) and completed tasks as `(observe_atom, service, successes, 0)`,
///   one per service and handled message (a task without a service counts for the service its
///   kind's failures last came from); it accepts one connect while that retry
///   scheduler lives (it monitors it; a restarted one connects anew), and answers a second one,
///   or any on a dispatcher constructed with `failed_attempts::end_task`, with
///   `errc::invalid_config`. With `failed_attempts::end_task` a failed attempt ends its task as
///   `failed`.
/// - `(subscribe_atom, actor)`, `(unsubscribe_atom, actor)`: expired leases are published to
///   the subscribers (the health monitor) as `(stuck_atom, agent_name, task_id)`.
/// - `(budget_reset_atom, generation)`: its own timer at the reset of the budget window that
///   refused submits (see below).
/// - `(drain_atom) -> dispatcher_stats`: refuses new submits, answers once nothing is pending.
/// - `(handback_atom) -> std::vector<task>`: ends every pending task as handed_back.
/// - `(dispatcher_stats_atom) -> dispatcher_stats`.
///
/// With a history recorder (a peer given at spawn), every task that reaches a terminal state is
/// sent to it as `(history_atom, std::vector<settled_task>)`, one message per handled message
/// that settled tasks; without one, nothing is noted or sent.
///
/// With a call guard (given at spawn) holding hard runtime or pool budgets, a new submit whose
/// runtime (or pool) budget is spent is refused with `errc::budget_exhausted` and the UTC time
/// the window resets; retries, replays and tasks in flight go on. The first refusal logs that
/// intake is paused by the budget and arms a timer at the reset, which logs that it resumes
/// (the guard's windows reset by themselves; the timer keeps the log and the
/// `herd_budget_intake_paused` gauge true). An operator's pause (`intake_atom`) is separate.
/// Every settled task is reported to the guard, which forgets its call state.
///
/// The tables and decisions live in `dispatcher_state`; this actor turns messages into its calls
/// and its actions into sends, deliveries and timers.
class dispatcher : public dispatcher_actor::base {
public:
  /// A dispatcher with `config`, counting into `metrics`, whose failed attempts go where
  /// `failures` says, telling `history` (default: none) every settled task and asking `guard`
  /// (default: none, no budgets) whether new submits fit the budgets, journaling into `journal`
  /// (default: none, memory only).
  dispatcher(caf::actor_config& cfg, dispatcher_config config,
             std::shared_ptr<metrics_registry> metrics, failed_attempts failures,
             history_feed_actor history = {}, std::shared_ptr<call_guard> guard = nullptr,
             std::shared_ptr<journal_writer> journal = nullptr);

  const char* name() const override { return "herd.dispatcher"; }

protected:
  behavior_type make_behavior() override;
  /// Drops its handles of other actors (retry scheduler, subscribers), so no reference cycle
  /// keeps a terminated actor alive.
  void on_exit() override;

private:
  /// Hands `t` to the state (and the ledger) for a submit or an enqueue.
  submit_decision accept(task& t);
  /// Recovers from the journal and listens to its commits (with a journal).
  void recover_journal();
  /// Delivers what waited for the journal's commit up to `seq` (with `error`: it failed).
  void journaled(uint64_t seq, const std::string& error);
  /// Takes the submitters waiting under `waiters` out of their slots, for a later delivery.
  void defer(uint32_t waiters, uint64_t seq, caf::message&& msg);
  /// Sends, delivers and arms what the state's last call asks for.
  void act();
  /// Sends the history recorder the tasks the state's last call settled.
  void tell_history(const std::vector<dispatcher_actions::settlement>& settled);
  /// The slot of the first submitter waiting under `waiters` (allocated on first use).
  caf::typed_response_promise<outcome>& first_waiter(uint32_t waiters);
  /// Delivers `msg`, `(outcome)`, to the submitters waiting under `waiters`.
  void deliver(uint32_t waiters, caf::message&& msg);
  /// The key of the agent behind `addr`, or nullptr.
  /// Hands an agent's result on `lease_id` to the state; a late one frees the sender's slot.
  void report(uint64_t lease_id, outcome& result, time_point now);
  const uint64_t* agent_key(const caf::actor_addr& addr) const;
  /// Forgets the agent behind `addr` after `why`.
  void forget_agent(const caf::actor_addr& addr, const std::string& why);
  /// Answers the retirements whose agent holds no lease any more (it leaves its pool) or is gone.
  void settle_retirements();
  /// Closes the cycle with `scheduler`, or says why not.
  caf::result<void> connect_retry(const caf::actor& scheduler);
  /// Wall-clock UTC ms at the actor clock's `now`.
  int64_t wall_ms(time_point now) const;
  /// Notes a submit refused by a budget until `until_ms`: logs the pause and arms the timer.
  void budget_refused(const std::string& why, std::optional<int64_t> until_ms);
  /// The error a rejected submit is answered with; a budget's refusal is also noted.
  caf::error refusal(submit_decision& decision);

  std::shared_ptr<metrics_registry> metrics_;
  dispatcher_state state_;
  failed_attempts failures_;
  std::shared_ptr<spdlog::logger> log_;
  caf::actor retry_scheduler_;       // once connected, while it lives
  std::vector<task> unsent_retries_; // failed attempts before the connect
  std::vector<task> unsent_routes_;  // chained submits before the connect
  subscriber_list stuck_subscribers_;
  bool reporting_ = false; // inside a batch of reports: lease on a reminder

  // Budgets: the guard (none: no budgets) and the budget pause's timer.
  std::shared_ptr<call_guard> guard_;
  std::optional<int64_t> budget_paused_until_; // ms UTC, while intake is paused by a budget
  uint64_t budget_timer_ = 0;                  // generation of the armed reset timer
  gauge* budget_paused_metric_ = nullptr;

  // The task history: the recorder (none: nothing is noted or sent) and the pending tasks'
  // kinds, pools, services and entry times.
  history_feed_actor history_;
  std::unique_ptr<task_ledger> ledger_;

  // Agents: the state knows them by a key, the actor by address and handle.
  std::unordered_map<caf::actor_addr, uint64_t> agent_keys_;
  std::vector<caf::actor> agent_handles_; // by key (keys are never reused; null once gone)
  uint64_t next_agent_key_ = 0;

  // Submitters by the waiters handle of their task: most tasks have exactly one. First waiters
  // in blocks of waiter_block (stable addresses, no moves as handles grow).
  static constexpr uint32_t waiter_block = 1024;
  std::vector<std::unique_ptr<caf::typed_response_promise<outcome>[]>> first_waiters_;
  std::unordered_map<uint32_t, std::vector<caf::typed_response_promise<outcome>>> more_waiters_;
  std::vector<caf::typed_response_promise<dispatcher_stats>> drain_waiters_;
  // Retiring agents by key, with whoever waits for them to hold no lease.
  std::map<uint64_t, std::vector<caf::typed_response_promise<bool>>> retirements_;

  // The journal (none: memory only) and what waits for its commits, in journal order.
  struct unacked_enqueue {
    uint64_t seq = 0;
    caf::typed_response_promise<std::string> promise;
    std::string task_id;
  };
  struct undelivered_outcome {
    uint64_t seq = 0;
    caf::typed_response_promise<outcome> first;
    std::vector<caf::typed_response_promise<outcome>> more;
    caf::message msg;
  };
  std::shared_ptr<journal_writer> journal_;
  uint64_t committed_ = 0; // journal records up to this number are durable
  bool drained_ = false;   // drained, drain waiters answered once nothing waits for the journal
  std::deque<unacked_enqueue> unacked_;
  std::deque<undelivered_outcome> undelivered_;
};

} // namespace herd
