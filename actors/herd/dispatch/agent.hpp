#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/message_handler.hpp>

#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/task_completion.hpp"
#include "herd/locks/locked_work.hpp"

namespace herd {

/// The base class of every agent. Subclass it and override `handle` (tasks that finish at once)
/// or `handle_async` (tasks that finish after requests to other actors):
///
///     class summarizer : public herd::agent {
///     public:
///       using herd::agent::agent;
///     protected:
///       herd::outcome handle(const herd::task& t) override {
///         return herd::outcome::success({{"summary", "..."}});
///       }
///     };
///
/// The dispatcher leases tasks to the agent; the agent reports each outcome back. An exception
/// escaping `handle` or `handle_async` becomes an `unknown` failure and the agent lives on; one
/// escaping a response callback fails every task the agent holds as `unknown` before the agent
/// exits (its supervisor restarts it). Heartbeats come from the agent's own mailbox (or, in
/// process, its liveness-board slot says how long its handler has run), so an agent
/// stuck in a handler stops sending them.
class agent : public caf::event_based_actor {
public:
  /// Constructs an agent; subclasses forward `cfg` and take their own arguments after it.
  explicit agent(caf::actor_config& cfg);

  /// The agent's name ("herd.agent" until it joins a pool).
  const char* name() const override;
  /// The agent's settings, as the runtime gave them.
  const agent_settings& settings() const { return settings_; }
  /// How many tasks it holds.
  size_t tasks_in_flight() const { return leases_.size(); }
  /// How many tasks it finished (reported), in this incarnation.
  int64_t tasks_finished() const { return tasks_finished_; }
  /// True once it is due for recycling: it takes no new lease and exits with `errc::recycled`
  /// after its last one.
  bool recycling() const { return !recycle_reason_.empty(); }
  /// The memory it holds beyond the actor itself (caches, conversation memory), as the
  /// subclass counts it; checked against its pool's `recycling.max_resident_bytes` after each
  /// task. Default: 0.
  virtual uint64_t resident_bytes() const;

protected:
  /// Runs a task synchronously. Default: fails with `permanent` ("handle not implemented").
  virtual outcome handle(const task& t);
  /// Runs a task and reports it through `done`, now or later. Default: `done.finish(handle(t))`.
  virtual void handle_async(const task& t, task_completion done);
  /// Additional message handlers of a subclass (responses, control messages). Default: none.
  virtual caf::message_handler extra_handlers();
  /// Called once the agent knows its name and pool. Default: nothing.
  virtual void on_setup();

  /// Calls service `t.service` for task `t` with `request` (JSON text), merging `t.route.params`
  /// into it (JSON merge-patch); checks the task's step limit, loop guard and own budget first (a
  /// refused call is not made and `then` gets the failure: step_limit, loop_detected,
  /// budget_exhausted); charges the answer's cost (token usage x prices) to the task, its pool
  /// and the runtime. A call that gets no answer (timeout, breaker gone) fails as timeout or
  /// unavailable. Default timeout: 90 s.
  void call(const task& t, std::string request, std::function<void(outcome)> then,
            duration timeout = from_ms(90000));
  /// The same for a named service (not from the task's route).
  void call(const task& t, const std::string& service, std::string request,
            std::function<void(outcome)> then, duration timeout = from_ms(90000));
  /// Charges `usd`, a cost the handler reports itself, to `t`, its pool and the runtime.
  void charge(const task& t, double usd);
  /// Runs `work(grant, done)` holding the runtime's lock `lock` (lease `lease`, 0 = the "locks"
  /// config's default), with the fencing token in `grant.token`; releases the lock when `done`
  /// is called or `work` throws, and hands the outcome to `then`. A lock not had (queue full,
  /// wait ran out) or lost before the release fails classified (see `locked_work`).
  void with_lock(const std::string& lock, duration lease, locked_work::work_fn work,
                 std::function<void(outcome)> then);

  caf::behavior make_behavior() override;
  /// Drops the handles it holds (its heartbeat target, the dispatchers of its leases), so no
  /// reference cycle keeps a terminated actor alive; a subclass overriding it calls it.
  void on_exit() override;

private:
  friend class task_completion;

  void start(uint64_t lease_id, const task& t);
  bool holds(uint64_t lease_id) const;
  void report(uint64_t lease_id, outcome result);
  void fail_all_leases(const std::string& reason);
  void schedule_heartbeat();
  /// Retires the agent if its recycle policy says it is due.
  void check_recycling();
  /// Sends the guarded call of `t` to `breaker` and hands the answer to `then`.
  void call_breaker(caf::actor breaker, const task& t, const std::string& service,
                    std::string request, std::function<void(outcome)> then, duration timeout);
  /// Wall-clock UTC ms now, as the call guard maps the actor clock.
  int64_t wall_ms();

  agent_settings settings_;
  std::vector<std::pair<uint64_t, caf::actor>> leases_; // lease id, the dispatcher that leased it
  bool batching_ = false;                               // inside a lease batch: collect reports
  caf::actor batch_dispatcher_;
  std::vector<uint64_t> batch_ids_;
  std::vector<outcome> batch_outcomes_;
  uint64_t heartbeats_sent_ = 0;
  int64_t tasks_finished_ = 0;
  time_point born_;               // when it was set up, on the actor clock
  std::string recycle_reason_;    // non-empty once due
  caf::actor recycle_dispatcher_; // the dispatcher it retires from (its last lease's)
};

} // namespace herd
