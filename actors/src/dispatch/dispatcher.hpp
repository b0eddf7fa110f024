#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "dispatch/id_index.hpp"
#include "dispatch/ring_queue.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dispatch/dispatcher_config.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Routes tasks to agents and knows every task that is not finished.
///
/// Protocol (atoms in herd/atoms.hpp):
/// - `(submit_atom, task) -> outcome`: accepts a task (or replies with an error: intake_full,
///   unknown_pool, shutting_down, invalid_task) and answers with its final outcome. A submit of
///   a completed id answers the recorded outcome; of a pending id, waits for the same outcome.
/// - `(resubmit_atom, task)`: a retry or replay of an accepted task re-enters the queue.
/// - `(settle_atom, outcome)`: a waiting task ended elsewhere (dead-lettered, escalated, ...).
/// - `(join_atom, pool, agent, name, concurrency)`, `(leave_atom, agent)`: pool membership.
/// - `(isolate_atom, agent)`, `(resume_atom, agent)`: stop/resume leasing to an agent; isolation
///   re-queues its leases and ignores their late results.
/// - `(sink_atom, actor)`: failed attempts go to `actor` as `(retry_atom, task)` instead of
///   ending the task, and completed tasks with a service as `(observe_atom, service, true)`;
///   `(watch_atom, actor)`: expired leases are reported as
///   `(stuck_atom, agent_name, task_id)`.
/// - `(drain_atom) -> dispatcher_stats`: refuses new submits, answers once nothing is pending.
/// - `(handback_atom) -> std::vector<task>`: ends every pending task as handed_back.
/// - `(stats_atom) -> dispatcher_stats`.
class dispatcher : public caf::event_based_actor {
public:
  /// A dispatcher with `config`, counting into `metrics`.
  dispatcher(caf::actor_config& cfg, dispatcher_config config,
             std::shared_ptr<metrics_registry> metrics);

  const char* name() const override { return "herd.dispatcher"; }

protected:
  caf::behavior make_behavior() override;
  /// Drops its handles of other actors (failure sink, stuck-task watcher), so no reference
  /// cycle keeps a terminated actor alive.
  void on_exit() override;

private:
  struct agent_entry {
    caf::actor handle;
    std::string name;
    std::string pool;
    int32_t concurrency = 1;
    bool isolated = false;
    size_t leased = 0;                      // leases it holds (leases_ knows which)
    std::unordered_set<uint64_t> abandoned; // taken back, result not yet in: slot still busy
    size_t in_flight() const { return leased + abandoned.size(); }
    int batch = -1; // while leasing: index of this agent's batch
  };

  enum class task_state { queued, leased, waiting, completed };

  // What the dispatcher knows of a task id: pending (queued, leased, waiting for a retry) or
  // completed (kept for idempotency until evicted, oldest first).
  struct task_record {
    uint32_t handle = id_index::npos; // of its id in ids_, and its place in records_
    task_state state = task_state::queued;
    int32_t requeues = 0;
    caf::response_promise first_waiter; // most tasks have exactly one submitter
    std::vector<caf::response_promise> more_waiters;
    // When completed, its outcome without the id (the key) and the status (completed):
    std::string result;
    std::string agent;
    int32_t attempt = 0;
    std::unique_ptr<failure> error; // only if the completed outcome carried one
  };

  struct queued_task {
    task work;
    task_record* record = nullptr; // in records_ (stable while the task is pending)
  };

  struct pool_entry {
    std::string name;
    std::vector<agent_entry*> members; // entries of agents_ (node-based: pointers stay valid)
    ring_queue<queued_task> queue;
    bool dispatch_scheduled = false;
    size_t next = 0; // where the next search for an idle agent starts
  };

  // A slot of leases_; its lease id is (sequence number << 32 | slot), 0 while the slot is free.
  struct lease_entry {
    uint64_t id = 0;
    caf::message msg; // (lease_atom, ids, tasks), shared with the agent's mailbox: no copy
    size_t index = 0; // of this lease's task in the message
    agent_entry* agent = nullptr; // valid while the lease exists: its leases go before the agent
    pool_entry* pool = nullptr;
    task_record* record = nullptr;
    time_point deadline;
    const task& work() const { return msg.get_as<std::vector<task>>(2)[index]; }
  };

  using deadline_entry = std::pair<time_point, uint64_t>;

  caf::result<outcome> on_submit(task& t);
  void on_resubmit(task& t);
  void on_report(uint64_t lease_id, outcome& result);
  void on_settle(outcome& result);
  void on_join(const std::string& pool, const caf::actor& handle, const std::string& agent_name,
               int32_t concurrency);
  void on_agent_gone(const caf::actor_addr& addr, const std::string& why);
  void on_isolate(const caf::actor_addr& addr);
  void on_tick(uint64_t generation);

  task_record& add_record(uint32_t handle);
  task_record& record_at(uint32_t handle) {
    return records_[handle / record_block][handle % record_block];
  }
  task_record* find_record(const std::string& task_id);
  void drop_record(task_record& record);
  outcome recorded_outcome(const task_record& record) const;
  void enqueue_task(task t, task_record& record, pool_entry& pool, bool front);
  pool_entry& pool_named(const std::string& name);
  void dispatch(pool_entry& pool);
  void lease_queued(pool_entry& pool);
  agent_entry* pick_agent(pool_entry& pool);
  void take_back(uint64_t lease_id, failure why, bool abandon);
  std::vector<uint64_t> leases_of(const agent_entry* agent) const;
  lease_entry& open_lease();
  lease_entry* find_lease(uint64_t lease_id);
  lease_entry close_lease(lease_entry& lease);
  void attempt_failed(task t, const failure& why, const std::string& agent_name,
                      task_record& record);
  void settle(const std::string& task_id, outcome result, task_record* record = nullptr);
  void arm_timer();
  void maybe_finish_drain();
  void publish_gauges();

  dispatcher_config config_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  caf::actor failure_sink_;
  caf::actor stuck_watcher_;

  std::map<std::string, pool_entry> pools_;
  std::unordered_map<caf::actor_addr, agent_entry> agents_;
  std::deque<lease_entry> leases_;    // slots, reused through free_leases_
  std::vector<uint32_t> free_leases_; // free slots of leases_
  std::priority_queue<deadline_entry, std::vector<deadline_entry>, std::greater<>> deadlines_;
  id_index ids_; // every pending or completed task id
  // Records by handle in ids_, in blocks of record_block (stable addresses, few allocations).
  static constexpr uint32_t record_block = 1024;
  std::vector<std::unique_ptr<task_record[]>> records_;
  std::deque<uint32_t> completed_order_; // handles of completed tasks, oldest first
  dispatcher_stats stats_;
  uint64_t next_lease_ = 0;
  uint64_t timer_generation_ = 0;
  time_point timer_due_;
  bool timer_armed_ = false;
  bool draining_ = false;
  bool reporting_ = false; // inside a batch of reports: dispatch by reminder
  std::vector<caf::response_promise> drain_waiters_;

  counter* submitted_metric_;
  counter* rejected_metric_;
  counter* requeued_metric_;
  gauge* queued_metric_;
  gauge* leased_metric_;
  counter* settled_metrics_[5];
};

} // namespace herd
