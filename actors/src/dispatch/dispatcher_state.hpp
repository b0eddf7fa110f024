#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/message.hpp>

#include "dispatch/dispatcher_actions.hpp"
#include "dispatch/id_index.hpp"
#include "dispatch/ring_queue.hpp"
#include "dispatch/submit_decision.hpp"
#include "herd/budgets/budget_admission.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dispatch/dispatcher_config.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/dispatch/pool_load.hpp"

namespace spdlog {
class logger;
}

namespace herd {

class journal_writer;
struct journal_recovery;

/// The dispatcher's tables and decisions, without an actor: pools and their queues, agents,
/// leases, deadlines, task records and the completed ids kept for idempotency. Each call takes
/// the current time and leaves what the actor must do in `actions()`.
class dispatcher_state {
public:
  /// An empty state with `config`, counting into `metrics`. With `retries`, a failed attempt
  /// goes to the retry scheduler (`actions().retries`) and the task waits; without, it ends as
  /// failed.
  dispatcher_state(dispatcher_config config, metrics_registry& metrics, bool retries);

  /// Asks `busy` whenever a pool has work to lease: while it answers true (the actor's mailbox
  /// holds more messages), the pool is named in `actions().reminders` instead of leased at once,
  /// so one lease message later carries many tasks. Default: never busy (lease at once).
  void lease_later(std::function<bool()> busy) { busy_ = std::move(busy); }
  /// Asks `admit` with the pool of every new task (not duplicates, retries or replays): a
  /// refusal rejects the submit with `errc::budget_exhausted`, its `why` and `until_ms`.
  /// Default: no budgets.
  void budget_gate(std::function<budget_admission(const std::string& pool)> admit) {
    admit_ = std::move(admit);
  }

  /// Appends every accepted task, failed attempt and terminal state to `journal` (not owned;
  /// nullptr: none, the default), its times carried to the wall clock by `wall_offset`; each
  /// accepted task's number is in its `submit_decision`, each settlement's in the settlement.
  void use_journal(journal_writer* journal, duration wall_offset) {
    journal_ = journal;
    wall_offset_ = wall_offset;
  }
  /// Re-enters what a journal held at `now`: the completed outcomes (answered to duplicate
  /// submits) and every unfinished task with its attempt history (times wall-clock, shifted to
  /// the actor clock here), queued in the order they were accepted; counted as re-entered.
  void recover(journal_recovery& found, time_point now);

  /// Accepts `t` (or rejects it, or answers a duplicate id) at `now`.
  submit_decision submit(task& t, time_point now);
  /// Re-enters an accepted task (retry, replay).
  void resubmit(task& t, time_point now);
  /// Routes again the queued tasks of `kind` on one of `tiers` that made no attempt in their
  /// run: a tier before theirs is back, and the retry scheduler places them anew.
  void reroute(const std::string& kind, const std::vector<std::string>& tiers, time_point now);
  /// An agent's result on a lease; false if the lease is unknown (taken back: see
  /// `release_abandoned`).
  bool report(uint64_t lease_id, outcome& result, time_point now);
  /// Frees the slot of a taken-back lease whose late result `agent` just reported.
  void release_abandoned(uint64_t agent, uint64_t lease_id, time_point now);
  /// Ends a waiting task with a terminal state decided elsewhere.
  void settle_waiting(outcome& result, time_point now);
  /// Adds `agent` (the actor's key) to `pool`, or updates it; 0 concurrency takes the default.
  void join(uint64_t agent, const std::string& pool, const std::string& name, int32_t concurrency,
            time_point now);
  /// Removes `agent`, re-queueing its leases.
  void remove(uint64_t agent, const std::string& why, time_point now);
  /// Stops leasing to `agent`, re-queues its leases and ignores their late results.
  void isolate(uint64_t agent, time_point now);
  /// Resumes leasing to an isolated `agent`.
  void resume(uint64_t agent, time_point now);
  /// Leases nothing more to `agent` (scale-down, recycling); its leases run to their end.
  void retire(uint64_t agent);
  /// The leases `agent` holds (taken-back ones whose result is due included); none if unknown.
  std::optional<size_t> in_flight(uint64_t agent) const;
  /// The load of `pool` (all zero for a pool never named).
  pool_load load_of(const std::string& pool) const;
  /// Pauses (or resumes) intake for memory pressure, apart from an operator's pause: while
  /// paused, submits are refused with `errc::memory_pressure` and `reason`.
  void pause_for_memory(bool paused, std::string reason);
  /// Leases the queued tasks of `pool` (the reminder named in `actions().reminders` arrived).
  void lease_pool(const std::string& pool, time_point now);
  /// Takes back the leases due at `now` if `generation` is the armed timer's.
  void expire(uint64_t generation, time_point now);
  /// Pauses (or resumes) intake: while paused, submits are refused with `errc::intake_paused`
  /// and `reason`; retries, replays and queued tasks go on.
  void pause_intake(bool paused, std::string reason);
  /// Refuses new submits; true if nothing is pending already.
  bool drain();
  /// Ends every queued and leased task as handed_back and returns them.
  std::vector<task> hand_back(time_point now);

  /// Completed task ids remembered for idempotency (`dispatcher_config::completed_capacity`).
  int64_t completed_capacity() const { return config_.completed_capacity; }
  /// The accounting.
  const dispatcher_stats& stats() const { return stats_; }
  /// What the last calls ask the actor to do.
  dispatcher_actions& actions() { return actions_; }

private:
  struct agent_entry {
    uint64_t key = 0;
    std::string name;
    std::string pool;
    int32_t concurrency = 1;
    bool isolated = false;
    bool retiring = false;                  // leased nothing more (scale-down, recycling)
    size_t leased = 0;                      // leases it holds (leases_ knows which)
    std::unordered_set<uint64_t> abandoned; // taken back, result not yet in: slot still busy
    size_t in_flight() const { return leased + abandoned.size(); }
    int batch = -1; // while leasing: index of this agent's batch
  };

  enum class task_state { queued, leased, waiting, completed };

  // The instruments of one task kind, registered once (`metrics_of`) and shared by its records.
  struct kind_metrics {
    counter* settled[5];         // herd_tasks_settled_total{kind,state}, by outcome_status
    counter* retried_settled[5]; // herd_retried_tasks_settled_total{kind,state}
    counter* attempts;           // herd_task_attempts_total{kind}
    histogram* duration;         // herd_task_duration_seconds{kind}
  };

  // What the dispatcher knows of a task id: pending (queued, leased, waiting for a retry) or
  // completed (kept for idempotency until evicted, oldest first).
  struct task_record {
    uint32_t handle = id_index::npos; // of its id in ids_, and its place in records_
    task_state state = task_state::queued;
    int32_t requeues = 0;
    int32_t leases = 0;              // attempts started: leases handed to agents
    kind_metrics* metrics = nullptr; // of its kind
    time_point accepted;             // when it was accepted (or re-entered): its duration's start
    // When completed, its outcome without the id (the key) and the status (completed):
    std::string result;
    std::string agent;
    int32_t attempt = 0;
    std::unique_ptr<failure> error; // only if the completed outcome carried one
    std::string served_by;          // its fallback tier, if it had a chain
    bool degraded = false;
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

  // The tasks one lease_queued call leases to one agent.
  struct lease_draft {
    agent_entry* agent = nullptr;
    std::vector<uint64_t> ids;
    std::vector<task> tasks;
    std::vector<task_record*> records;
  };

  using deadline_entry = std::pair<time_point, uint64_t>;

  task_record& add_record(uint32_t handle);
  task_record& record_at(uint32_t handle) {
    return records_[handle / record_block][handle % record_block];
  }
  task_record* find_record(const std::string& task_id);
  void drop_record(task_record& record);
  outcome recorded_outcome(const task_record& record) const;
  void enqueue_task(task&& t, task_record& record, pool_entry& pool, bool front);
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
  bool knows_kind(const std::string& kind) const;
  /// True if tasks of `kind` go to the retry scheduler for their fallback tier.
  bool routed(const std::string& kind) const;
  /// Hands `t`, accepted or re-entered as `record`, to the retry scheduler for its tier.
  void route(task&& t, task_record& record);
  /// Notes on the successful `result` of `work` which tier served it.
  void note_served(const task& work, outcome& result);
  std::string unknown_kind_reason(const std::string& kind) const;
  /// Remembers that a task of `kind` failed at `service` (ignored when empty).
  void learn_service(const std::string& kind, const std::string& service);
  /// The service the failures of `kind` last came from; empty if none did.
  const std::string& service_of_kind(const std::string& kind) const;
  void settle(const std::string& task_id, outcome result, task_record* record = nullptr);
  void add_deadline(time_point deadline, uint64_t lease_id);
  void arm_timer();
  void publish_gauges();
  /// The instruments of task kind `kind`, registered on its first use.
  kind_metrics& metrics_of(const std::string& kind);
  /// Tags `record` with the kind of its task and the time its duration counts from.
  void start_clock(task_record& record, const std::string& kind, time_point accepted);

  /// Appends the failed attempt `a` of task `id` to the journal, if any.
  void journal_attempt(const std::string& id, const attempt_record& a);
  /// The wall-clock time of `now_`, ms since the Unix epoch.
  int64_t wall_ms() const { return to_epoch_ms(now_ + wall_offset_); }

  dispatcher_config config_;
  bool retries_;
  journal_writer* journal_ = nullptr; // none: nothing is journaled
  duration wall_offset_{0};
  std::shared_ptr<spdlog::logger> log_;
  dispatcher_actions actions_;
  time_point now_;
  std::function<bool()> busy_;                                // if set and true: lease by reminder
  std::function<budget_admission(const std::string&)> admit_; // if set: budgets at intake

  std::map<std::string, pool_entry> pools_;
  std::unordered_map<uint64_t, agent_entry> agents_;
  std::deque<lease_entry> leases_;       // slots, reused through free_leases_
  std::vector<uint32_t> free_leases_;    // free slots of leases_
  std::vector<lease_draft> batches_;     // lease_queued's scratch space
  ring_queue<deadline_entry> deadlines_; // by (deadline, lease id), earliest first
  id_index ids_;                         // every pending or completed task id
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
  bool memory_paused_ = false; // by the memory watchdog
  std::string memory_reason_;
  // The service each task kind's failures last came from, so a success of a task that names no
  // service refunds that service's retry budget; at most max_learned_kinds kinds.
  static constexpr size_t max_learned_kinds = 1024;
  std::unordered_map<std::string, std::string> kind_services_;

  counter* submitted_metric_;
  counter* rejected_metric_;
  counter* requeued_metric_;
  gauge* queued_metric_;
  gauge* leased_metric_;
  metrics_registry& metrics_;
  // By task kind; node-based, so records keep pointers to the entries.
  std::unordered_map<std::string, kind_metrics> kind_metrics_;
  std::pair<std::string, kind_metrics*> last_kind_; // the last kind looked up, to skip hashing
};

} // namespace herd
