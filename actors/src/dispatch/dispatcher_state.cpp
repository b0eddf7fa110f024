#include "dispatch/dispatcher_state.hpp"

#include <algorithm>

#include <caf/make_message.hpp>
#include <spdlog/logger.h>

#include "herd/core/atoms.hpp"
#include "herd/core/logging.hpp"
#include "herd/degradation/fallback_router.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/journal/journal_recovery.hpp"
#include "herd/journal/journal_writer.hpp"

namespace herd {

namespace {

bool is_control_character(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

} // namespace

namespace {

// herd_task_duration_seconds' upper bounds: LLM latencies, 50 ms to 5 min.
std::vector<double> task_duration_bounds() {
  return {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300};
}

} // namespace

dispatcher_state::dispatcher_state(dispatcher_config config, metrics_registry& metrics,
                                   bool retries)
    : config_(config), retries_(retries), log_(component_logger("dispatcher")), metrics_(metrics) {
  ids_.reserve(static_cast<size_t>(std::min<int64_t>(config_.completed_capacity, 1 << 16)));
  submitted_metric_ =
      &metrics.counter("herd_tasks_accepted_total", "Tasks accepted by the dispatcher");
  rejected_metric_ =
      &metrics.counter("herd_tasks_rejected_total", "Submits refused by the dispatcher");
  requeued_metric_ =
      &metrics.counter("herd_tasks_requeued_total",
                       "Tasks re-queued after an expired lease, a dead or isolated agent");
  queued_metric_ = &metrics.gauge("herd_dispatcher_queued", "Tasks waiting for an agent");
  leased_metric_ = &metrics.gauge("herd_dispatcher_leased", "Tasks held by agents");
  // The configured kinds' series exist (at 0) from the start.
  for (const auto& kind : config_.kinds)
    metrics_of(kind);
}

submit_decision dispatcher_state::submit(task& t, time_point now) {
  ids_.prefetch(t.id); // its slot is likely cold: load it while checking the rest
  now_ = now;
  submit_decision decision;
  auto reject = [&](errc code, std::string reason) {
    ++stats_.rejected;
    rejected_metric_->inc();
    decision.what = submit_decision::verdict::rejected;
    decision.error = code;
    decision.reason = std::move(reason);
    return std::move(decision);
  };
  if (draining_)
    return reject(errc::shutting_down, "the runtime is shutting down and accepts no tasks");
  if (stats_.intake_paused)
    return reject(errc::intake_paused, "intake is paused: " + stats_.pause_reason);
  if (memory_paused_)
    return reject(errc::memory_pressure, "intake is paused: " + memory_reason_);
  if (t.id.empty())
    return reject(errc::invalid_task, "a task needs a non-empty id");
  if (std::any_of(t.id.begin(), t.id.end(), is_control_character))
    return reject(errc::invalid_task, "a task id must not contain control characters (bytes "
                                      "0x00-0x1f and 0x7f): it is written to logs and records");
  if (!knows_kind(t.kind))
    return reject(errc::unknown_kind, unknown_kind_reason(t.kind));
  auto pool = pools_.find(t.pool);
  auto [handle, added] = ids_.insert(t.id);
  if (!added) {
    auto& record = record_at(handle);
    ++stats_.duplicates;
    if (record.state == task_state::completed) {
      decision.what = submit_decision::verdict::known;
      decision.known_outcome = recorded_outcome(record);
      return decision;
    }
    decision.what = submit_decision::verdict::joined;
    decision.waiters = handle;
    return decision;
  }
  auto& record = add_record(handle);
  if (pool == pools_.end()) {
    drop_record(record);
    return reject(errc::unknown_pool, "no agent pool named \"" + t.pool + "\"");
  }
  if (admit_) {
    auto verdict = admit_(t.pool);
    if (!verdict.admitted) {
      drop_record(record);
      auto until = verdict.until_ms;
      auto refused = reject(errc::budget_exhausted, "budget exhausted: " + verdict.why);
      refused.until_ms = until;
      return refused;
    }
  }
  if (static_cast<int64_t>(stats_.queued) >= config_.intake_capacity) {
    drop_record(record);
    return reject(errc::intake_full, "intake queue full: " + std::to_string(stats_.queued) +
                                         " tasks waiting (dispatcher.intake_capacity)");
  }
  if (t.created == time_point{})
    t.created = now;
  t.attempt = std::max(t.attempt, int32_t{1});
  ++stats_.accepted;
  submitted_metric_->inc();
  start_clock(record, t.kind, t.created);
  decision.what = submit_decision::verdict::accepted;
  decision.waiters = handle;
  if (journal_ != nullptr)
    decision.journal_seq =
        journal_->append(journal_record::accepted_task(t, wall_offset_, wall_ms()));
  if (routed(t.kind)) {
    route(std::move(t), record);
    return decision;
  }
  enqueue_task(std::move(t), record, pool->second, false);
  dispatch(pool->second);
  return decision;
}

void dispatcher_state::resubmit(task& t, time_point now) {
  now_ = now;
  auto [handle, added] = ids_.insert(t.id);
  auto* record = added ? &add_record(handle) : &record_at(handle);
  if (added) {
    // A replayed or amended task: its duration counts from its re-entry.
    ++stats_.reentered;
    start_clock(*record, t.kind, now);
    if (journal_ != nullptr) // a replay: unfinished again
      journal_->append(journal_record::accepted_task(t, wall_offset_, wall_ms()));
    if (routed(t.kind)) {
      route(std::move(t), *record);
      return;
    }
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
  if (!t.route.home_pool.empty() && pools_.count(t.pool) == 0) {
    // A rule tier whose pool nobody spawned: the tier fails at once and the chain moves on.
    auto why = failure::unavailable("no agent pool named \"" + t.pool + "\" runs rule tier " +
                                    t.route.tier + " (runtime::add_rule)");
    attempt_failed(std::move(t), why, "", *record);
    return;
  }
  auto& pool = pool_named(t.pool);
  enqueue_task(std::move(t), *record, pool, false);
  dispatch(pool);
}

void dispatcher_state::reroute(const std::string& kind, const std::vector<std::string>& tiers,
                               time_point now) {
  now_ = now;
  size_t rerouted = 0;
  for (auto& [_, pool] : pools_) {
    auto& queue = pool.queue;
    for (auto n = queue.size(); n > 0; --n) {
      auto entry = std::move(queue.front());
      queue.pop_front();
      auto& t = entry.work;
      // A task that reached a later tier because an earlier one was unavailable (skipped, or
      // refused before any call), and that has not called a service yet.
      if (t.kind != kind || !fallback_router::made_no_call(t) ||
          std::find(tiers.begin(), tiers.end(), t.route.tier) == tiers.end()) {
        queue.push_back(std::move(entry));
        continue;
      }
      metrics_
          .counter("herd_fallback_rerouted_total",
                   "Queued tasks routed again because a tier before theirs came back, by kind and "
                   "the tier they left",
                   {{"kind", kind}, {"tier", t.route.tier}})
          .inc();
      --stats_.queued;
      ++rerouted;
      fallback_router::leave(t); // back in the submitter's pool (it may wait in a rule's)
      route(std::move(t), *entry.record);
    }
  }
  if (rerouted > 0)
    log_->info("{} queued tasks of kind {} routed again: a tier before theirs is back", rerouted,
               kind);
  publish_gauges();
}

bool dispatcher_state::report(uint64_t lease_id, outcome& result, time_point now) {
  now_ = now;
  auto* held = find_lease(lease_id);
  if (held == nullptr) {
    ++stats_.stale_reports;
    return false;
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
    // The retry scheduler's budgets are refunded by successes, which only the dispatcher sees:
    // the task's service, else the one its kind's failures last came from.
    if (retries_) {
      const auto& service = work.service.empty() ? service_of_kind(work.kind) : work.service;
      if (!service.empty())
        actions_.count_success(service);
    }
    if (work.route.on_chain())
      note_served(work, result);
    settle(work.id, std::move(result), lease.record);
  } else {
    attempt_failed(work, result.error, agent_name, *lease.record);
  }
  dispatch(*pool);
  return true;
}

void dispatcher_state::release_abandoned(uint64_t agent, uint64_t lease_id, time_point now) {
  now_ = now;
  auto a = agents_.find(agent);
  if (a != agents_.end() && a->second.abandoned.erase(lease_id) > 0)
    dispatch(pool_named(a->second.pool));
}

void dispatcher_state::settle_waiting(outcome& result, time_point now) {
  now_ = now;
  auto* record = find_record(result.task_id);
  if (record == nullptr || record->state != task_state::waiting) {
    log_->warn("ignored settle of task {}: it is not waiting", result.task_id);
    return;
  }
  --stats_.waiting;
  auto id = result.task_id;
  settle(id, std::move(result), record);
}

void dispatcher_state::join(uint64_t agent, const std::string& pool_name,
                            const std::string& agent_name, int32_t concurrency, time_point now) {
  now_ = now;
  auto& pool = pool_named(pool_name);
  auto [i, added] = agents_.try_emplace(agent);
  if (added) {
    pool.members.push_back(&i->second);
    ++stats_.agents;
  }
  auto& entry = i->second;
  entry.key = agent;
  entry.name = agent_name;
  entry.pool = pool_name;
  entry.concurrency = concurrency > 0 ? concurrency : config_.default_concurrency;
  log_->debug("agent {} joined pool {} (concurrency {})", agent_name, pool_name, entry.concurrency);
  dispatch(pool);
}

void dispatcher_state::remove(uint64_t agent, const std::string& why, time_point now) {
  now_ = now;
  auto i = agents_.find(agent);
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

void dispatcher_state::isolate(uint64_t agent, time_point now) {
  now_ = now;
  auto i = agents_.find(agent);
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

void dispatcher_state::resume(uint64_t agent, time_point now) {
  now_ = now;
  auto i = agents_.find(agent);
  if (i == agents_.end() || !i->second.isolated)
    return;
  i->second.isolated = false;
  --stats_.isolated;
  log_->info("agent {} resumed", i->second.name);
  dispatch(pool_named(i->second.pool));
}

void dispatcher_state::retire(uint64_t agent) {
  auto i = agents_.find(agent);
  if (i == agents_.end() || i->second.retiring)
    return;
  i->second.retiring = true;
  log_->info("agent {} retires: no new leases, {} to finish", i->second.name,
             i->second.in_flight());
}

std::optional<size_t> dispatcher_state::in_flight(uint64_t agent) const {
  auto i = agents_.find(agent);
  if (i == agents_.end())
    return std::nullopt;
  return i->second.in_flight();
}

pool_load dispatcher_state::load_of(const std::string& pool) const {
  pool_load result;
  result.pool = pool;
  auto i = pools_.find(pool);
  if (i == pools_.end())
    return result;
  result.queued = i->second.queue.size();
  for (auto* member : i->second.members) {
    result.leased += member->leased;
    if (member->in_flight() > 0)
      ++result.busy;
    if (!member->isolated && !member->retiring)
      ++result.agents;
  }
  return result;
}

void dispatcher_state::pause_for_memory(bool paused, std::string reason) {
  memory_paused_ = paused;
  memory_reason_ = paused ? std::move(reason) : std::string{};
}

void dispatcher_state::lease_pool(const std::string& pool_name, time_point now) {
  now_ = now;
  auto& pool = pool_named(pool_name);
  pool.dispatch_scheduled = false;
  lease_queued(pool);
}

void dispatcher_state::expire(uint64_t generation, time_point now) {
  now_ = now;
  if (generation != timer_generation_)
    return;
  timer_armed_ = false;
  std::vector<std::string> touched;
  while (!deadlines_.empty() && deadlines_.front().first <= now) {
    auto [deadline, lease_id] = deadlines_.front();
    deadlines_.pop_front();
    auto* lease = find_lease(lease_id);
    if (lease == nullptr || lease->deadline != deadline)
      continue;
    ++stats_.leases_expired;
    auto agent_name = lease->agent->name;
    auto& work = lease->work();
    log_->warn("lease of task {} on agent {} expired", work.id, agent_name);
    actions_.stuck.push_back(dispatcher_actions::stuck_lease{agent_name, work.id});
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

void dispatcher_state::pause_intake(bool paused, std::string reason) {
  stats_.intake_paused = paused;
  stats_.pause_reason = paused ? std::move(reason) : std::string{};
}

bool dispatcher_state::drain() {
  draining_ = true;
  stats_.draining = true;
  return stats_.pending() == 0;
}

std::vector<task> dispatcher_state::hand_back(time_point now) {
  now_ = now;
  // Queued and leased tasks come back to the caller; waiting ones are the retry scheduler's to
  // hand back.
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
}

void dispatcher_state::journal_attempt(const std::string& id, const attempt_record& a) {
  if (journal_ != nullptr)
    journal_->append(journal_record::failed_attempt(id, a, wall_offset_, wall_ms()));
}

void dispatcher_state::recover(journal_recovery& found, time_point now) {
  now_ = now;
  for (auto& result : found.completed) {
    if (config_.completed_capacity <= 0)
      break;
    auto [handle, added] = ids_.insert(result.task_id);
    if (!added)
      continue;
    auto& record = add_record(handle);
    record.state = task_state::completed;
    record.result = std::move(result.result);
    record.agent = std::move(result.agent);
    record.attempt = result.attempt;
    record.served_by = std::move(result.served_by);
    record.degraded = result.degraded;
    if (!(result.error == failure{}))
      record.error = std::make_unique<failure>(std::move(result.error));
    completed_order_.push_back(handle);
    if (static_cast<int64_t>(completed_order_.size()) > config_.completed_capacity) {
      drop_record(record_at(completed_order_.front()));
      completed_order_.pop_front();
    }
  }
  std::map<std::string, size_t> per_pool; // room first: re-entering moves each task once
  for (auto& t : found.unfinished)
    ++per_pool[t.pool];
  for (auto& [name, count] : per_pool) {
    auto& pool = pool_named(name);
    pool.queue.reserve(pool.queue.size() + count);
  }
  std::vector<pool_entry*> touched;
  for (auto& t : found.unfinished) {
    auto [handle, added] = ids_.insert(t.id);
    if (!added)
      continue;
    t.shift_times(-wall_offset_);
    auto& record = add_record(handle);
    ++stats_.reentered;
    start_clock(record, t.kind, now);
    if (routed(t.kind)) {
      route(std::move(t), record);
      continue;
    }
    auto& pool = pool_named(t.pool);
    if (touched.empty() || touched.back() != &pool)
      touched.push_back(&pool);
    enqueue_task(std::move(t), record, pool, false);
  }
  for (auto* pool : touched)
    dispatch(*pool);
  publish_gauges();
}

dispatcher_state::pool_entry& dispatcher_state::pool_named(const std::string& name) {
  auto& pool = pools_[name];
  pool.name = name;
  return pool;
}

dispatcher_state::task_record& dispatcher_state::add_record(uint32_t handle) {
  if (handle / record_block == records_.size())
    records_.push_back(std::make_unique<task_record[]>(record_block));
  auto& record = record_at(handle);
  record.handle = handle;
  return record;
}

dispatcher_state::task_record* dispatcher_state::find_record(const std::string& task_id) {
  auto handle = ids_.find(task_id);
  return handle == id_index::npos ? nullptr : &record_at(handle);
}

void dispatcher_state::drop_record(task_record& record) {
  ids_.erase(record.handle);
  // Give the strings' buffers back first: assigning a fresh record keeps them (libstdc++ copies a
  // short string into the buffer a string has), so a reused slot would keep the longest result
  // it ever held and the table would go on growing long after it is full (seen in bench_soak).
  std::string{}.swap(record.result);
  std::string{}.swap(record.agent);
  std::string{}.swap(record.served_by);
  record = task_record{};
}

outcome dispatcher_state::recorded_outcome(const task_record& record) const {
  outcome result;
  result.task_id = ids_.id(record.handle);
  result.result = record.result;
  if (record.error)
    result.error = *record.error;
  result.agent = record.agent;
  result.attempt = record.attempt;
  result.served_by = record.served_by;
  result.degraded = record.degraded;
  return result;
}

void dispatcher_state::enqueue_task(task&& t, task_record& record, pool_entry& pool, bool front) {
  record.state = task_state::queued;
  ++stats_.queued;
  auto& queue = pool.queue;
  if (front)
    queue.push_front(queued_task{std::move(t), &record});
  else
    queue.push_back(queued_task{std::move(t), &record});
}

dispatcher_state::agent_entry* dispatcher_state::pick_agent(pool_entry& pool) {
  // The least loaded agent with room; ties go round-robin so idle agents share the work.
  agent_entry* best = nullptr;
  auto n = pool.members.size();
  for (size_t k = 0; k < n; ++k) {
    auto& candidate = *pool.members[(pool.next + k) % n];
    if (candidate.isolated || candidate.retiring ||
        candidate.in_flight() >= static_cast<size_t>(candidate.concurrency))
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

void dispatcher_state::dispatch(pool_entry& pool) {
  // Under load the actor leases on a reminder, once the messages already in its mailbox are
  // handled: one lease message then carries many tasks to each agent, and the agent reports
  // them in one message. Otherwise lease now and spare the reminder.
  if (pool.queue.empty() || pool.dispatch_scheduled)
    return;
  if (!busy_ || !busy_()) {
    lease_queued(pool);
    return;
  }
  pool.dispatch_scheduled = true;
  actions_.reminders.push_back(pool.name);
}

void dispatcher_state::lease_queued(pool_entry& pool) {
  // Batches are reused across calls (their record lists keep their capacity).
  size_t used = 0;
  auto deadline = now_ + config_.lease_timeout;
  while (!pool.queue.empty()) {
    auto agent = pick_agent(pool);
    if (agent == nullptr)
      break;
    if (agent->batch < 0) {
      agent->batch = static_cast<int>(used);
      if (used == batches_.size())
        batches_.emplace_back();
      auto& fresh = batches_[used++];
      fresh.agent = agent;
      auto room =
          std::min(pool.queue.size(), static_cast<size_t>(agent->concurrency) - agent->in_flight());
      fresh.ids.reserve(room);
      fresh.tasks.reserve(room);
      fresh.records.reserve(room);
    }
    auto& b = batches_[static_cast<size_t>(agent->batch)];
    auto& queued = pool.queue.front();
    queued.record->state = task_state::leased;
    ++queued.record->leases;
    queued.record->metrics->attempts->inc();
    b.ids.push_back(open_lease().id);
    b.tasks.push_back(std::move(queued.work));
    b.records.push_back(queued.record);
    pool.queue.pop_front();
    --stats_.queued;
    ++stats_.leased;
    ++agent->leased;
  }
  for (size_t k = 0; k < used; ++k) {
    auto& b = batches_[k];
    b.agent->batch = -1;
    auto msg = caf::make_message(lease_atom::value, std::move(b.ids), std::move(b.tasks));
    b.ids = {};
    b.tasks = {};
    auto& ids = msg.get_as<std::vector<uint64_t>>(1);
    for (size_t i = 0; i < ids.size(); ++i) {
      auto& lease = *find_lease(ids[i]);
      lease.msg = msg;
      lease.index = i;
      lease.agent = b.agent;
      lease.pool = &pool;
      lease.record = b.records[i];
      lease.deadline = deadline;
      add_deadline(deadline, ids[i]);
    }
    b.records.clear();
    actions_.leases.push_back(dispatcher_actions::lease_batch{b.agent->key, std::move(msg)});
  }
  arm_timer();
  publish_gauges();
}

void dispatcher_state::take_back(uint64_t lease_id, failure why, bool abandon) {
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
  t.history.push_back(attempt_record{t.attempt, now_, agent_name, why, t.route.tier});
  journal_attempt(t.id, t.history.back());
  ++t.attempt;
  enqueue_task(std::move(t), entry, *lease.pool, true);
}

std::vector<uint64_t> dispatcher_state::leases_of(const agent_entry* agent) const {
  std::vector<uint64_t> result;
  for (auto& lease : leases_)
    if (lease.id != 0 && lease.agent == agent)
      result.push_back(lease.id);
  return result;
}

dispatcher_state::lease_entry& dispatcher_state::open_lease() {
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

dispatcher_state::lease_entry* dispatcher_state::find_lease(uint64_t lease_id) {
  auto slot = static_cast<size_t>(lease_id & 0xffffffffu);
  if (slot >= leases_.size() || leases_[slot].id != lease_id || lease_id == 0)
    return nullptr;
  return &leases_[slot];
}

dispatcher_state::lease_entry dispatcher_state::close_lease(lease_entry& lease) {
  free_leases_.push_back(static_cast<uint32_t>(lease.id & 0xffffffffu));
  auto result = std::move(lease);
  lease = lease_entry{};
  return result;
}

void dispatcher_state::attempt_failed(task t, const failure& why, const std::string& agent_name,
                                      task_record& record) {
  t.history.push_back(attempt_record{t.attempt, now_, agent_name, why, t.route.tier});
  journal_attempt(t.id, t.history.back());
  if (t.service.empty())
    t.service = why.service;
  learn_service(t.kind, why.service);
  if (retries_) {
    record.state = task_state::waiting;
    ++stats_.waiting;
    actions_.retries.push_back(std::move(t));
    return;
  }
  auto result = outcome::fail(why);
  result.agent = agent_name;
  result.attempt = t.attempt;
  settle(t.id, std::move(result), &record);
}

void dispatcher_state::settle(const std::string& task_id, outcome result, task_record* known) {
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
  if (known == nullptr)
    known = find_record(task_id);
  if (known != nullptr) {
    auto& record = *known;
    if (auto* m = record.metrics) {
      auto state = static_cast<size_t>(result.status);
      m->settled[state]->inc();
      if (record.leases > 1)
        m->retried_settled[state]->inc();
      m->duration->observe(std::chrono::duration<double>(now_ - record.accepted).count());
    }
    auto keep = result.ok() && config_.completed_capacity > 0;
    if (keep) {
      record.result = result.result;
      record.agent = result.agent;
      record.attempt = result.attempt;
      record.served_by = result.served_by;
      record.degraded = result.degraded;
      if (!(result.error == failure{}))
        record.error = std::make_unique<failure>(result.error);
    }
    uint64_t journal_seq = 0;
    if (journal_ != nullptr && result.status != outcome_status::handed_back)
      journal_seq = journal_->append(journal_record::settled_task(result, wall_ms()));
    actions_.settled.push_back(dispatcher_actions::settlement{
        record.handle, caf::make_message(std::move(result)), journal_seq});
    if (!keep) {
      drop_record(record);
    } else {
      record.state = task_state::completed;
      completed_order_.push_back(record.handle);
      if (static_cast<int64_t>(completed_order_.size()) > config_.completed_capacity) {
        drop_record(record_at(completed_order_.front()));
        completed_order_.pop_front();
      }
    }
  }
  if (draining_ && stats_.pending() == 0)
    actions_.drained = true;
}

void dispatcher_state::add_deadline(time_point deadline, uint64_t lease_id) {
  // Deadlines mostly come in order (now + a fixed timeout): append, sift back if out of order.
  deadlines_.push_back(deadline_entry{deadline, lease_id});
  for (auto i = deadlines_.size() - 1; i > 0 && deadlines_[i] < deadlines_[i - 1]; --i)
    std::swap(deadlines_[i], deadlines_[i - 1]);
}

void dispatcher_state::arm_timer() {
  while (!deadlines_.empty()) {
    auto* lease = find_lease(deadlines_.front().second);
    if (lease != nullptr && lease->deadline == deadlines_.front().first)
      break;
    deadlines_.pop_front();
  }
  if (deadlines_.empty())
    return;
  auto due = deadlines_.front().first;
  if (timer_armed_ && timer_due_ <= due)
    return;
  timer_armed_ = true;
  timer_due_ = due;
  actions_.arm_timer = true;
  actions_.timer_due = due;
  actions_.timer_generation = ++timer_generation_;
}

void dispatcher_state::publish_gauges() {
  queued_metric_->set(static_cast<double>(stats_.queued));
  leased_metric_->set(static_cast<double>(stats_.leased));
}

// -- metrics by task kind ------------------------------------------------------------------

dispatcher_state::kind_metrics& dispatcher_state::metrics_of(const std::string& kind) {
  if (last_kind_.second != nullptr && last_kind_.first == kind)
    return *last_kind_.second;
  auto [i, added] = kind_metrics_.try_emplace(kind);
  auto& entry = i->second;
  if (added) {
    for (auto status :
         {outcome_status::completed, outcome_status::failed, outcome_status::dead_lettered,
          outcome_status::escalated, outcome_status::handed_back}) {
      metric_labels labels{{"kind", kind}, {"state", to_string(status)}};
      auto index = static_cast<size_t>(status);
      entry.settled[index] =
          &metrics_.counter("herd_tasks_settled_total",
                            "Tasks that reached a terminal state, by kind and state", labels);
      entry.retried_settled[index] = &metrics_.counter(
          "herd_retried_tasks_settled_total",
          "Settled tasks that needed more than one attempt, by kind and final state", labels);
    }
    entry.attempts = &metrics_.counter(
        "herd_task_attempts_total",
        "Attempts started (leases handed to agents: first tries, retries and re-queues)",
        {{"kind", kind}});
    entry.duration = &metrics_.histogram("herd_task_duration_seconds",
                                         "Time from a task's acceptance to its terminal state",
                                         {{"kind", kind}}, task_duration_bounds());
  }
  last_kind_ = {kind, &entry};
  return entry;
}

void dispatcher_state::start_clock(task_record& record, const std::string& kind,
                                   time_point accepted) {
  record.metrics = &metrics_of(kind);
  record.accepted = accepted;
}

// -- fallback chains -----------------------------------------------------------------------

bool dispatcher_state::routed(const std::string& kind) const {
  return retries_ && !config_.chains.empty() && config_.chains.count(kind) > 0;
}

void dispatcher_state::route(task&& t, task_record& record) {
  record.state = task_state::waiting;
  ++stats_.waiting;
  t.route = tier_route{}; // the scheduler places it on a tier
  actions_.routes.push_back(std::move(t));
}

void dispatcher_state::note_served(const task& work, outcome& result) {
  result.served_by = work.route.tier;
  auto chain = config_.chains.find(work.kind);
  result.degraded = chain != config_.chains.end() && chain->second != work.route.tier;
  metrics_
      .counter("herd_fallback_served_total",
               "Tasks served by each tier of their fallback chain, by kind and tier (a human "
               "tier counts at the hand-off)",
               {{"kind", work.kind}, {"tier", work.route.tier}})
      .inc();
  if (result.degraded)
    metrics_
        .counter("herd_fallback_degraded_total",
                 "Tasks served by a tier other than their chain's first, by kind",
                 {{"kind", work.kind}})
        .inc();
}

// -- task kinds ----------------------------------------------------------------------------

bool dispatcher_state::knows_kind(const std::string& kind) const {
  const auto& kinds = config_.kinds;
  return kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string dispatcher_state::unknown_kind_reason(const std::string& kind) const {
  std::string known;
  for (const auto& name : config_.kinds)
    known += (known.empty() ? "" : ", ") + name;
  return "no failure policy for task kind \"" + kind + "\": submit it with a kind that has one (" +
         known +
         "), add one under \"policies\" in "
         "the config (e.g. \"policies\": {\"" +
         kind +
         "\": {\"preset\": \"payment\"}}), "
         "or set \"fallback_policy\" to let kinds without a policy take one";
}

void dispatcher_state::learn_service(const std::string& kind, const std::string& service) {
  if (service.empty())
    return;
  auto i = kind_services_.find(kind);
  if (i != kind_services_.end())
    i->second = service;
  else if (kind_services_.size() < max_learned_kinds)
    kind_services_.emplace(kind, service);
}

const std::string& dispatcher_state::service_of_kind(const std::string& kind) const {
  static const std::string none;
  auto i = kind_services_.find(kind);
  return i != kind_services_.end() ? i->second : none;
}

} // namespace herd
