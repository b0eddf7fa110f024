#include "dispatch/dispatcher.hpp"

#include <algorithm>

#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/core/atoms.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/logging.hpp"
#include "herd/retry/protocol.hpp"

namespace herd {

dispatcher::dispatcher(caf::actor_config& cfg, dispatcher_config config,
                       std::shared_ptr<metrics_registry> metrics)
    : caf::event_based_actor(cfg), config_(config),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      log_(component_logger("dispatcher")) {
  ids_.reserve(static_cast<size_t>(std::min<int64_t>(config_.completed_capacity, 1 << 16)));
  auto& m = *metrics_;
  submitted_metric_ = &m.counter("herd_tasks_accepted_total", "Tasks accepted by the dispatcher");
  rejected_metric_ = &m.counter("herd_tasks_rejected_total", "Submits refused by the dispatcher");
  requeued_metric_ = &m.counter("herd_tasks_requeued_total",
                                "Tasks re-queued after an expired lease, a dead or isolated agent");
  queued_metric_ = &m.gauge("herd_dispatcher_queued", "Tasks waiting for an agent");
  leased_metric_ = &m.gauge("herd_dispatcher_leased", "Tasks held by agents");
  for (auto status :
       {outcome_status::completed, outcome_status::failed, outcome_status::dead_lettered,
        outcome_status::escalated, outcome_status::handed_back})
    settled_metrics_[static_cast<size_t>(status)] =
        &m.counter("herd_tasks_settled_total", "Tasks that reached a terminal state",
                   {{"state", to_string(status)}});
}

void dispatcher::on_exit() {
  failure_sink_ = nullptr;
  stuck_watcher_ = nullptr;
}

caf::behavior dispatcher::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) {
    on_agent_gone(msg.source, "agent exited: " + to_string(msg.reason));
  });
  return {
      [this](submit_atom, task& t) -> caf::result<outcome> { return on_submit(t); },
      [this](resubmit_atom, task& t) { on_resubmit(t); },
      [this](report_atom, uint64_t lease_id, outcome& result) { on_report(lease_id, result); },
      [this](report_atom, const std::vector<uint64_t>& lease_ids, std::vector<outcome>& results) {
        reporting_ = true; // lease once, after the whole batch
        for (size_t i = 0; i < lease_ids.size() && i < results.size(); ++i)
          on_report(lease_ids[i], results[i]);
        reporting_ = false;
      },
      [this](dispatch_atom, const std::string& pool_name) {
        auto& pool = pool_named(pool_name);
        pool.dispatch_scheduled = false;
        lease_queued(pool);
      },
      [this](settle_atom, outcome& result) { on_settle(result); },
      [this](join_atom, const std::string& pool, const caf::actor& handle,
             const std::string& agent_name,
             int32_t concurrency) { on_join(pool, handle, agent_name, concurrency); },
      [this](leave_atom, const caf::actor& handle) {
        demonitor(handle);
        on_agent_gone(handle.address(), "agent left its pool");
      },
      [this](isolate_atom, const caf::actor& handle) { on_isolate(handle.address()); },
      [this](resume_atom, const caf::actor& handle) {
        auto i = agents_.find(handle.address());
        if (i == agents_.end() || !i->second.isolated)
          return;
        i->second.isolated = false;
        --stats_.isolated;
        log_->info("agent {} resumed", i->second.name);
        dispatch(pool_named(i->second.pool));
      },
      [this](sink_atom, const caf::actor& sink) { failure_sink_ = sink; },
      [this](watch_atom, const caf::actor& watcher) { stuck_watcher_ = watcher; },
      [this](tick_atom, uint64_t generation) { on_tick(generation); },
      [this](drain_atom) -> caf::result<dispatcher_stats> {
        draining_ = true;
        if (stats_.pending() == 0)
          return stats_;
        drain_waiters_.push_back(make_response_promise());
        return drain_waiters_.back();
      },
      [this](handback_atom) {
        // Queued and leased tasks come back to the caller; waiting ones are the retry
        // scheduler's to hand back.
        std::vector<task> unfinished;
        for (auto& [_, pool] : pools_) {
          for (size_t i = 0; i < pool.queue.size(); ++i)
            unfinished.push_back(std::move(pool.queue[i].work));
          pool.queue.clear();
        }
        for (auto& lease : leases_)
          if (lease.id != 0)
            unfinished.push_back(close_lease(lease).work());
        for (auto& [_, agent] : agents_)
          agent.leased = 0;
        stats_.queued = 0;
        stats_.leased = 0;
        for (auto& t : unfinished) {
          outcome result;
          result.status = outcome_status::handed_back;
          result.error = failure::unknown("handed back unfinished at shutdown");
          settle(t.id, std::move(result));
        }
        publish_gauges();
        return unfinished;
      },
      [this](stats_atom) { return stats_; },
  };
}

caf::result<outcome> dispatcher::on_submit(task& t) {
  auto reject = [this](errc code, std::string reason) {
    ++stats_.rejected;
    rejected_metric_->inc();
    return caf::make_error(code, std::move(reason));
  };
  if (draining_)
    return reject(errc::shutting_down, "the runtime is shutting down and accepts no tasks");
  if (t.id.empty())
    return reject(errc::invalid_task, "a task needs a non-empty id");
  auto [handle, added] = ids_.insert(t.id);
  if (!added) {
    auto& record = record_at(handle);
    ++stats_.duplicates;
    if (record.state == task_state::completed)
      return recorded_outcome(record);
    record.more_waiters.push_back(make_response_promise());
    return record.more_waiters.back();
  }
  auto& record = add_record(handle);
  auto pool = pools_.find(t.pool);
  if (pool == pools_.end()) {
    drop_record(record);
    return reject(errc::unknown_pool, "no agent pool named \"" + t.pool + "\"");
  }
  if (static_cast<int64_t>(stats_.queued) >= config_.intake_capacity) {
    drop_record(record);
    return reject(errc::intake_full, "intake queue full: " + std::to_string(stats_.queued) +
                                         " tasks waiting (dispatcher.intake_capacity)");
  }
  if (t.created == time_point{})
    t.created = clock().now();
  t.attempt = std::max(t.attempt, int32_t{1});
  record.first_waiter = make_response_promise();
  ++stats_.accepted;
  submitted_metric_->inc();
  enqueue_task(std::move(t), record, pool->second, false);
  dispatch(pool->second);
  return record.first_waiter;
}

void dispatcher::on_resubmit(task& t) {
  auto [handle, added] = ids_.insert(t.id);
  auto* record = added ? &add_record(handle) : &record_at(handle);
  if (added) {
    ++stats_.reentered;
  } else if (record->state == task_state::completed) {
    ++stats_.duplicates;
    log_->info("ignored resubmit of task {}: it already completed", t.id);
    return;
  } else if (record->state != task_state::waiting) {
    log_->warn("ignored resubmit of task {}: it is not waiting for a retry", t.id);
    return;
  } else {
    --stats_.waiting;
  }
  auto& pool = pool_named(t.pool);
  enqueue_task(std::move(t), *record, pool, false);
  dispatch(pool);
}

void dispatcher::on_report(uint64_t lease_id, outcome& result) {
  auto* held = find_lease(lease_id);
  if (held == nullptr) {
    ++stats_.stale_reports;
    auto a = agents_.find(current_sender() ? current_sender()->address() : caf::actor_addr{});
    if (a != agents_.end() && a->second.abandoned.erase(lease_id) > 0)
      dispatch(pool_named(a->second.pool));
    return;
  }
  auto lease = close_lease(*held);
  --stats_.leased;
  auto& work = lease.work();
  auto* pool = lease.pool;
  auto& agent_name = lease.agent->name;
  --lease.agent->leased;
  result.agent = agent_name;
  result.attempt = work.attempt;
  if (result.ok()) {
    // The retry scheduler's budgets are refunded by successes, which only the dispatcher sees.
    if (failure_sink_ && !work.service.empty())
      send(failure_sink_, observe_atom::value, work.service, true);
    settle(work.id, std::move(result), lease.record);
  } else {
    attempt_failed(work, result.error, agent_name, *lease.record);
  }
  dispatch(*pool);
}

void dispatcher::on_settle(outcome& result) {
  auto* record = find_record(result.task_id);
  if (record == nullptr || record->state != task_state::waiting) {
    log_->warn("ignored settle of task {}: it is not waiting", result.task_id);
    return;
  }
  --stats_.waiting;
  auto id = result.task_id;
  settle(id, std::move(result), record);
}

void dispatcher::on_join(const std::string& pool_name, const caf::actor& handle,
                         const std::string& agent_name, int32_t concurrency) {
  auto& pool = pool_named(pool_name);
  auto [i, added] = agents_.try_emplace(handle.address());
  if (added) {
    monitor(handle);
    pool.members.push_back(&i->second);
    ++stats_.agents;
  }
  auto& entry = i->second;
  entry.handle = handle;
  entry.name = agent_name;
  entry.pool = pool_name;
  entry.concurrency = concurrency > 0 ? concurrency : config_.default_concurrency;
  log_->debug("agent {} joined pool {} (concurrency {})", agent_name, pool_name, entry.concurrency);
  dispatch(pool);
}

void dispatcher::on_agent_gone(const caf::actor_addr& addr, const std::string& why) {
  auto i = agents_.find(addr);
  if (i == agents_.end())
    return;
  auto* entry = &i->second;
  auto& pool = pool_named(entry->pool);
  auto held = leases_of(entry);
  if (!held.empty())
    log_->warn("agent {} is gone ({}); re-queueing {} tasks", entry->name, why, held.size());
  for (auto lease_id : held)
    take_back(lease_id, failure::unknown(why), false);
  pool.members.erase(std::remove(pool.members.begin(), pool.members.end(), entry),
                     pool.members.end());
  --stats_.agents;
  if (entry->isolated)
    --stats_.isolated;
  agents_.erase(i);
  dispatch(pool);
}

void dispatcher::on_isolate(const caf::actor_addr& addr) {
  auto i = agents_.find(addr);
  if (i == agents_.end() || i->second.isolated)
    return;
  auto& entry = i->second;
  entry.isolated = true;
  ++stats_.isolated;
  auto held = leases_of(&entry);
  log_->warn("agent {} isolated; re-queueing {} tasks", entry.name, held.size());
  for (auto lease_id : held)
    take_back(lease_id, failure::unknown("agent " + entry.name + " was isolated"), true);
  dispatch(pool_named(entry.pool));
}

void dispatcher::on_tick(uint64_t generation) {
  if (generation != timer_generation_)
    return;
  timer_armed_ = false;
  auto now = clock().now();
  std::vector<std::string> touched;
  while (!deadlines_.empty() && deadlines_.top().first <= now) {
    auto [deadline, lease_id] = deadlines_.top();
    deadlines_.pop();
    auto* lease = find_lease(lease_id);
    if (lease == nullptr || lease->deadline != deadline)
      continue;
    ++stats_.leases_expired;
    auto agent_name = lease->agent->name;
    auto& work = lease->work();
    log_->warn("lease of task {} on agent {} expired", work.id, agent_name);
    if (stuck_watcher_)
      send(stuck_watcher_, stuck_atom::value, agent_name, work.id);
    touched.push_back(work.pool);
    take_back(lease_id,
              failure::timeout("lease expired after " +
                               std::to_string(to_ms(config_.lease_timeout)) + " ms on agent " +
                               agent_name),
              true);
  }
  for (auto& pool : touched)
    dispatch(pool_named(pool));
  arm_timer();
}

dispatcher::pool_entry& dispatcher::pool_named(const std::string& name) {
  auto& pool = pools_[name];
  pool.name = name;
  return pool;
}

dispatcher::task_record& dispatcher::add_record(uint32_t handle) {
  if (handle / record_block == records_.size())
    records_.push_back(std::make_unique<task_record[]>(record_block));
  auto& record = record_at(handle);
  record.handle = handle;
  return record;
}

dispatcher::task_record* dispatcher::find_record(const std::string& task_id) {
  auto handle = ids_.find(task_id);
  return handle == id_index::npos ? nullptr : &record_at(handle);
}

void dispatcher::drop_record(task_record& record) {
  ids_.erase(record.handle);
  record = task_record{};
}

outcome dispatcher::recorded_outcome(const task_record& record) const {
  outcome result;
  result.task_id = ids_.id(record.handle);
  result.result = record.result;
  if (record.error)
    result.error = *record.error;
  result.agent = record.agent;
  result.attempt = record.attempt;
  return result;
}

void dispatcher::enqueue_task(task t, task_record& record, pool_entry& pool, bool front) {
  record.state = task_state::queued;
  ++stats_.queued;
  auto& queue = pool.queue;
  if (front)
    queue.push_front(queued_task{std::move(t), &record});
  else
    queue.push_back(queued_task{std::move(t), &record});
}

dispatcher::agent_entry* dispatcher::pick_agent(pool_entry& pool) {
  // The least loaded agent with room; ties go round-robin so idle agents share the work.
  agent_entry* best = nullptr;
  auto n = pool.members.size();
  for (size_t k = 0; k < n; ++k) {
    auto& candidate = *pool.members[(pool.next + k) % n];
    if (candidate.isolated || candidate.in_flight() >= static_cast<size_t>(candidate.concurrency))
      continue;
    if (best == nullptr || candidate.in_flight() < best->in_flight()) {
      best = &candidate;
      if (best->in_flight() == 0) {
        pool.next = (pool.next + k + 1) % n;
        break;
      }
    }
  }
  return best;
}

void dispatcher::dispatch(pool_entry& pool) {
  // Lease once the messages already in the mailbox are handled: under load, one lease message
  // then carries many tasks to each agent, and the agent reports them in one message. With
  // nothing else in the mailbox, lease now and spare the reminder.
  if (pool.queue.empty() || pool.dispatch_scheduled)
    return;
  if (!reporting_ && mailbox().empty()) {
    lease_queued(pool);
    return;
  }
  pool.dispatch_scheduled = true;
  send(this, dispatch_atom::value, pool.name);
}

void dispatcher::lease_queued(pool_entry& pool) {
  struct batch {
    agent_entry* agent;
    std::vector<uint64_t> ids;
    std::vector<task> tasks;
    std::vector<task_record*> records;
  };
  std::vector<batch> batches;
  auto deadline = clock().now() + config_.lease_timeout;
  while (!pool.queue.empty()) {
    auto agent = pick_agent(pool);
    if (agent == nullptr)
      break;
    if (agent->batch < 0) {
      agent->batch = static_cast<int>(batches.size());
      batches.push_back(batch{agent, {}, {}, {}});
      auto room =
          std::min(pool.queue.size(), static_cast<size_t>(agent->concurrency) - agent->in_flight());
      batches.back().ids.reserve(room);
      batches.back().tasks.reserve(room);
      batches.back().records.reserve(room);
    }
    auto& b = batches[static_cast<size_t>(agent->batch)];
    auto& queued = pool.queue.front();
    queued.record->state = task_state::leased;
    b.ids.push_back(open_lease().id);
    b.tasks.push_back(std::move(queued.work));
    b.records.push_back(queued.record);
    pool.queue.pop_front();
    --stats_.queued;
    ++stats_.leased;
    ++agent->leased;
  }
  for (auto& b : batches) {
    b.agent->batch = -1;
    auto msg = caf::make_message(lease_atom::value, std::move(b.ids), std::move(b.tasks));
    send(b.agent->handle, msg);
    auto& ids = msg.get_as<std::vector<uint64_t>>(1);
    for (size_t i = 0; i < ids.size(); ++i) {
      auto& lease = *find_lease(ids[i]);
      lease.msg = msg;
      lease.index = i;
      lease.agent = b.agent;
      lease.pool = &pool;
      lease.record = b.records[i];
      lease.deadline = deadline;
      deadlines_.emplace(deadline, ids[i]);
    }
  }
  arm_timer();
  publish_gauges();
}

void dispatcher::take_back(uint64_t lease_id, failure why, bool abandon) {
  auto* held = find_lease(lease_id);
  if (held == nullptr)
    return;
  auto lease = close_lease(*held);
  --stats_.leased;
  auto agent_name = lease.agent->name;
  --lease.agent->leased;
  if (abandon)
    lease.agent->abandoned.insert(lease_id);
  auto t = lease.work();
  auto& entry = *lease.record;
  ++stats_.requeued;
  requeued_metric_->inc();
  if (++entry.requeues > config_.max_requeues) {
    why.message = "taken back " + std::to_string(entry.requeues) + " times, last: " + why.message;
    attempt_failed(std::move(t), why, agent_name, entry);
    return;
  }
  t.history.push_back(attempt_record{t.attempt, clock().now(), agent_name, why});
  ++t.attempt;
  enqueue_task(std::move(t), entry, *lease.pool, true);
}

std::vector<uint64_t> dispatcher::leases_of(const agent_entry* agent) const {
  std::vector<uint64_t> result;
  for (auto& lease : leases_)
    if (lease.id != 0 && lease.agent == agent)
      result.push_back(lease.id);
  return result;
}

dispatcher::lease_entry& dispatcher::open_lease() {
  uint32_t slot;
  if (free_leases_.empty()) {
    slot = static_cast<uint32_t>(leases_.size());
    leases_.emplace_back();
  } else {
    slot = free_leases_.back();
    free_leases_.pop_back();
  }
  auto& lease = leases_[slot];
  lease.id = (++next_lease_ << 32) | slot;
  return lease;
}

dispatcher::lease_entry* dispatcher::find_lease(uint64_t lease_id) {
  auto slot = static_cast<size_t>(lease_id & 0xffffffffu);
  if (slot >= leases_.size() || leases_[slot].id != lease_id || lease_id == 0)
    return nullptr;
  return &leases_[slot];
}

dispatcher::lease_entry dispatcher::close_lease(lease_entry& lease) {
  free_leases_.push_back(static_cast<uint32_t>(lease.id & 0xffffffffu));
  auto result = std::move(lease);
  lease = lease_entry{};
  return result;
}

void dispatcher::attempt_failed(task t, const failure& why, const std::string& agent_name,
                                task_record& record) {
  t.history.push_back(attempt_record{t.attempt, clock().now(), agent_name, why});
  if (failure_sink_) {
    record.state = task_state::waiting;
    ++stats_.waiting;
    send(failure_sink_, retry_atom::value, std::move(t));
    return;
  }
  auto result = outcome::fail(why);
  result.agent = agent_name;
  result.attempt = t.attempt;
  settle(t.id, std::move(result), &record);
}

void dispatcher::settle(const std::string& task_id, outcome result, task_record* known) {
  result.task_id = task_id;
  switch (result.status) {
  case outcome_status::completed:
    ++stats_.completed;
    break;
  case outcome_status::failed:
    ++stats_.failed;
    break;
  case outcome_status::dead_lettered:
    ++stats_.dead_lettered;
    break;
  case outcome_status::escalated:
    ++stats_.escalated;
    break;
  case outcome_status::handed_back:
    ++stats_.handed_back;
    break;
  }
  settled_metrics_[static_cast<size_t>(result.status)]->inc();
  if (known == nullptr)
    known = find_record(task_id);
  if (known != nullptr) {
    auto& record = *known;
    auto keep = result.ok() && config_.completed_capacity > 0;
    if (keep) {
      record.result = result.result;
      record.agent = result.agent;
      record.attempt = result.attempt;
      if (!(result.error == failure{}))
        record.error = std::make_unique<failure>(result.error);
    }
    // One message for every waiter; the only waiter gets it unshared, so it moves the outcome.
    auto msg = caf::make_message(std::move(result));
    for (auto& waiter : record.more_waiters)
      waiter.deliver(msg);
    if (record.first_waiter.pending())
      record.first_waiter.deliver(std::move(msg));
    if (!keep) {
      drop_record(record);
    } else {
      record.state = task_state::completed;
      record.first_waiter = caf::response_promise{};
      record.more_waiters.clear();
      completed_order_.push_back(record.handle);
      if (static_cast<int64_t>(completed_order_.size()) > config_.completed_capacity) {
        drop_record(record_at(completed_order_.front()));
        completed_order_.pop_front();
      }
    }
  }
  maybe_finish_drain();
}

void dispatcher::arm_timer() {
  while (!deadlines_.empty()) {
    auto* lease = find_lease(deadlines_.top().second);
    if (lease != nullptr && lease->deadline == deadlines_.top().first)
      break;
    deadlines_.pop();
  }
  if (deadlines_.empty())
    return;
  auto due = deadlines_.top().first;
  if (timer_armed_ && timer_due_ <= due)
    return;
  timer_armed_ = true;
  timer_due_ = due;
  auto delay = std::max(due - clock().now(), caf::actor_clock::duration_type{0});
  delayed_send(this, delay, tick_atom::value, ++timer_generation_);
}

void dispatcher::maybe_finish_drain() {
  if (!draining_ || stats_.pending() != 0)
    return;
  for (auto& waiter : drain_waiters_)
    waiter.deliver(stats_);
  drain_waiters_.clear();
}

void dispatcher::publish_gauges() {
  queued_metric_->set(static_cast<double>(stats_.queued));
  leased_metric_->set(static_cast<double>(stats_.leased));
}

} // namespace herd
