#include "dispatch/dispatcher.hpp"

#include <algorithm>
#include <optional>

#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/core/atoms.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/error_replies.hpp"
#include "herd/core/held_promises.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/degradation/call_guard.hpp"
#include "herd/journal/journal_writer.hpp"
#include "herd/retry/protocol.hpp"

namespace herd {

namespace {

std::shared_ptr<metrics_registry> or_fresh(std::shared_ptr<metrics_registry> metrics) {
  return metrics ? std::move(metrics) : std::make_shared<metrics_registry>();
}

} // namespace

dispatcher::dispatcher(caf::actor_config& cfg, dispatcher_config config,
                       std::shared_ptr<metrics_registry> metrics, failed_attempts failures,
                       history_feed_actor history, std::shared_ptr<call_guard> guard,
                       std::shared_ptr<journal_writer> journal)
    : dispatcher_actor::base(cfg), metrics_(or_fresh(std::move(metrics))),
      state_(config, *metrics_, failures == failed_attempts::retry), failures_(failures),
      log_(component_logger("dispatcher")), guard_(std::move(guard)), history_(std::move(history)),
      journal_(std::move(journal)) {
  if (history_)
    ledger_ = std::make_unique<task_ledger>();
  budget_paused_metric_ =
      &metrics_->gauge("herd_budget_intake_paused",
                       "1 while a spent hard budget refuses new submits, until its window resets");
}

void dispatcher::on_exit() {
  guard_ = nullptr;
  retry_scheduler_ = nullptr;
  unsent_retries_.clear();
  unsent_routes_.clear();
  stuck_subscribers_ = subscriber_list{};
  history_ = nullptr;
  if (journal_ && (!undelivered_.empty() || !unacked_.empty())) {
    // What was appended is committed before the journal closes: deliver what waited for it.
    try {
      journal_->flush();
      journaled(journal_->appended(), "");
    } catch (const std::exception& e) {
      log_->error("the task journal is closed: {} outcomes and acknowledgements undelivered ({})",
                  undelivered_.size() + unacked_.size(), e.what());
    }
  }
  state_.use_journal(nullptr, duration{0});
  journal_ = nullptr;
  // Whoever still waits learns that the dispatcher stopped; agents' handles go, so no cycle of
  // references keeps a stopped dispatcher and its agents alive.
  for (auto& block : first_waiters_)
    for (uint32_t i = 0; i < waiter_block; ++i)
      abandon(block[i]);
  first_waiters_.clear();
  for (auto& [_, waiters] : more_waiters_)
    abandon_all(waiters);
  more_waiters_.clear();
  abandon_all(drain_waiters_);
  for (auto& [_, waiters] : retirements_)
    abandon_all(waiters);
  retirements_.clear();
  for (auto& enqueue : unacked_)
    abandon(enqueue.promise);
  unacked_.clear();
  for (auto& delivery : undelivered_) {
    abandon(delivery.first);
    abandon_all(delivery.more);
  }
  undelivered_.clear();
  agent_keys_.clear();
  agent_handles_.clear();
}

dispatcher::behavior_type dispatcher::make_behavior() {
  log_error_replies(*this, log_); // stuck-task subscribers' answers
  // Under load, lease on a reminder once the messages already in the mailbox are handled.
  state_.lease_later([this] { return reporting_ || !mailbox().empty(); });
  if (guard_ && guard_->has_budgets())
    state_.budget_gate(
        [this](const std::string& pool) { return guard_->admit(pool, wall_ms(clock().now())); });
  set_down_handler([this](caf::down_msg& msg) {
    if (retry_scheduler_ && msg.source == retry_scheduler_.address()) {
      log_->warn("the retry scheduler is gone; failed attempts wait for the next one");
      retry_scheduler_ = nullptr;
      return;
    }
    stuck_subscribers_.drop(msg.source);
    forget_agent(msg.source, "agent exited: " + to_string(msg.reason));
  });
  if (journal_)
    recover_journal();
  return {
      [this](submit_atom, task& t) -> caf::result<outcome> {
        auto decision = accept(t);
        switch (decision.what) {
        case submit_decision::verdict::rejected:
          return refusal(decision);
        case submit_decision::verdict::known:
          return std::move(*decision.known_outcome);
        case submit_decision::verdict::joined: {
          auto& waiters = more_waiters_[decision.waiters];
          waiters.push_back(make_response_promise<outcome>());
          auto promise = waiters.back();
          act();
          return promise;
        }
        case submit_decision::verdict::accepted:
          break;
        }
        auto& promise = first_waiter(decision.waiters);
        promise = make_response_promise<outcome>();
        act();
        return promise;
      },
      [this](enqueue_atom, task& t) -> caf::result<std::string> {
        auto id = t.id;
        auto decision = accept(t);
        switch (decision.what) {
        case submit_decision::verdict::rejected:
          return refusal(decision);
        case submit_decision::verdict::known:
          return id;
        case submit_decision::verdict::joined:
          // Pending already: durable once what was appended so far is.
          decision.journal_seq = journal_ ? journal_->appended() : 0;
          break;
        case submit_decision::verdict::accepted:
          break;
        }
        act();
        if (decision.journal_seq <= committed_)
          return id;
        unacked_.push_back(
            unacked_enqueue{decision.journal_seq, make_response_promise<std::string>(), id});
        return unacked_.back().promise;
      },
      [this](journaled_atom, uint64_t seq, const std::string& error) { journaled(seq, error); },
      [this](resubmit_atom, task& t) {
        if (ledger_)
          ledger_->note(t, clock().now()); // a replay re-enters; a retry is noted already
        state_.resubmit(t, clock().now());
        act();
      },
      [this](reroute_atom, const std::string& kind, const std::vector<std::string>& tiers) {
        state_.reroute(kind, tiers, clock().now());
        act();
      },
      [this](report_atom, uint64_t lease_id, outcome& result) {
        report(lease_id, result, clock().now());
        act();
      },
      [this](report_atom, const std::vector<uint64_t>& lease_ids, std::vector<outcome>& results) {
        reporting_ = true; // lease once, after the whole batch
        auto now = clock().now();
        for (size_t i = 0; i < lease_ids.size() && i < results.size(); ++i)
          report(lease_ids[i], results[i], now);
        reporting_ = false;
        act();
      },
      [this](dispatch_atom, const std::string& pool_name) {
        state_.lease_pool(pool_name, clock().now());
        act();
      },
      [this](settle_atom, outcome& result) {
        state_.settle_waiting(result, clock().now());
        act();
      },
      [this](join_atom, const std::string& pool, const caf::actor& handle,
             const std::string& agent_name, int32_t concurrency) {
        auto [i, added] = agent_keys_.try_emplace(handle.address(), next_agent_key_);
        if (added) {
          ++next_agent_key_;
          monitor(handle);
        }
        if (i->second >= agent_handles_.size())
          agent_handles_.resize(i->second + 1);
        agent_handles_[i->second] = handle;
        state_.join(i->second, pool, agent_name, concurrency, clock().now());
        act();
      },
      [this](leave_atom, const caf::actor& handle) {
        demonitor(handle);
        forget_agent(handle.address(), "agent left its pool");
      },
      [this](isolate_atom, const caf::actor& handle) {
        if (auto key = agent_key(handle.address())) {
          state_.isolate(*key, clock().now());
          act();
        }
      },
      [this](resume_atom, const caf::actor& handle) {
        if (auto key = agent_key(handle.address())) {
          state_.resume(*key, clock().now());
          act();
        }
      },
      [this](connect_retry_atom, const caf::actor& scheduler) { return connect_retry(scheduler); },
      [this](subscribe_atom, const caf::actor& subscriber) {
        if (stuck_subscribers_.add(subscriber))
          monitor(subscriber);
      },
      [this](unsubscribe_atom, const caf::actor& subscriber) {
        if (stuck_subscribers_.remove(subscriber))
          demonitor(subscriber);
      },
      [this](tick_atom, uint64_t generation) {
        state_.expire(generation, clock().now());
        act();
      },
      [this](drain_atom) -> caf::result<dispatcher_stats> {
        if (state_.drain() && undelivered_.empty() && unacked_.empty())
          return state_.stats();
        drained_ = state_.stats().pending() == 0; // the journal's commit delivers the rest
        drain_waiters_.push_back(make_response_promise<dispatcher_stats>());
        return drain_waiters_.back();
      },
      [this](handback_atom) {
        auto unfinished = state_.hand_back(clock().now());
        act();
        return unfinished;
      },
      [this](dispatcher_stats_atom) { return state_.stats(); },
      [this](budget_reset_atom, uint64_t generation) {
        if (generation != budget_timer_ || !budget_paused_until_)
          return;
        log_->info("intake resumes: the budget window reset at {}",
                   format_utc(*budget_paused_until_));
        budget_paused_until_.reset();
        budget_paused_metric_->set(0);
      },
      [this](retire_atom, const caf::actor& handle) -> caf::result<bool> {
        auto key = handle ? agent_key(handle.address()) : nullptr;
        if (key == nullptr)
          return false;
        state_.retire(*key);
        auto& waiters = retirements_[*key];
        waiters.push_back(make_response_promise<bool>());
        auto promise = waiters.back();
        settle_retirements();
        return promise;
      },
      [this](pool_load_atom, const std::string& pool) { return state_.load_of(pool); },
      [this](memory_pause_atom, bool paused, std::string& reason) {
        if (paused)
          log_->warn("intake paused for memory: {}", reason);
        else
          log_->info("intake resumed: memory fell below the hard limit");
        state_.pause_for_memory(paused, std::move(reason));
      },
      [this](intake_atom, bool paused, std::string& reason) {
        if (paused)
          log_->warn("intake paused: {}", reason);
        else
          log_->info("intake resumed");
        state_.pause_intake(paused, std::move(reason));
        return state_.stats();
      },
  };
}

void dispatcher::act() {
  auto& todo = state_.actions();
  // Leases first: the agents start working while the dispatcher does the rest.
  for (auto& batch : todo.leases) {
    if (batch.agent < agent_handles_.size())
      caf::unsafe_send_as(this, agent_handles_[batch.agent], batch.msg);
  }
  if (retry_scheduler_) {
    for (auto& done : todo.successes)
      caf::unsafe_send_as(this, retry_scheduler_, observe_atom::value, std::move(done.service),
                          done.count, int32_t{0});
    for (auto& t : todo.retries)
      caf::unsafe_send_as(this, retry_scheduler_, retry_atom::value, std::move(t));
    for (auto& t : todo.routes)
      caf::unsafe_send_as(this, retry_scheduler_, route_atom::value, std::move(t));
  } else {
    for (auto& t : todo.retries)
      unsent_retries_.push_back(std::move(t));
    for (auto& t : todo.routes)
      unsent_routes_.push_back(std::move(t));
  }
  for (auto& lease : todo.stuck)
    for (auto& subscriber : stuck_subscribers_.all())
      caf::unsafe_send_as(this, subscriber, stuck_atom::value, lease.agent, lease.task_id);
  if (ledger_ && !todo.settled.empty())
    tell_history(todo.settled);
  if (guard_)
    for (auto& settled : todo.settled)
      guard_->settled(settled.result().task_id);
  for (auto& settled : todo.settled) {
    if (settled.journal_seq > committed_)
      defer(settled.waiters, settled.journal_seq, std::move(settled.msg));
    else
      deliver(settled.waiters, std::move(settled.msg));
  }
  for (auto& pool : todo.reminders)
    send(this, dispatch_atom::value, std::move(pool));
  if (todo.arm_timer) {
    auto delay = std::max(todo.timer_due - clock().now(), caf::actor_clock::duration_type{0});
    delayed_send(this, delay, tick_atom::value, todo.timer_generation);
  }
  if (todo.drained && (!undelivered_.empty() || !unacked_.empty())) {
    drained_ = true; // answered once the journal committed what waits for it
  } else if (todo.drained) {
    for (auto& waiter : drain_waiters_)
      waiter.deliver(state_.stats());
    drain_waiters_.clear();
  }
  todo.clear();
  settle_retirements();
}

void dispatcher::settle_retirements() {
  if (retirements_.empty())
    return;
  std::vector<std::pair<uint64_t, std::vector<caf::typed_response_promise<bool>>>> done;
  for (auto i = retirements_.begin(); i != retirements_.end();) {
    auto held = state_.in_flight(i->first);
    if (held && *held > 0) {
      ++i;
      continue;
    }
    done.emplace_back(i->first, std::move(i->second));
    i = retirements_.erase(i);
  }
  for (auto& [key, waiters] : done) {
    // Every result is in: it leaves its pool with nothing to re-queue.
    if (key < agent_handles_.size() && agent_handles_[key]) {
      auto handle = agent_handles_[key];
      agent_keys_.erase(handle.address());
      demonitor(handle);
      agent_handles_[key] = nullptr;
      state_.remove(key, "retired", clock().now());
    }
    for (auto& waiter : waiters)
      waiter.deliver(true);
  }
  if (!done.empty())
    act();
}

submit_decision dispatcher::accept(task& t) {
  auto now = clock().now();
  std::optional<std::string> noted; // the id the ledger noted now
  if (ledger_ && ledger_->note(t, now))
    noted = t.id;
  auto decision = state_.submit(t, now);
  if (noted && (decision.what == submit_decision::verdict::rejected ||
                decision.what == submit_decision::verdict::known))
    ledger_->forget(*noted);
  return decision;
}

void dispatcher::recover_journal() {
  auto now = clock().now();
  auto offset = wall_offset(now, wall_now_ms());
  // Commits are told by message; a dead incarnation's address sends nothing.
  auto self = address();
  journal_->listen([self](uint64_t seq, const std::string& error) {
    if (auto handle = caf::actor_cast<caf::actor>(self))
      caf::anon_send(handle, journaled_atom::value, seq, error);
  });
  // Everything appended before is committed first: nothing the last incarnation held is lost.
  auto found = journal_->recover(state_.completed_capacity());
  committed_ = journal_->appended();
  state_.use_journal(journal_.get(), offset);
  if (!found.unfinished.empty() || !found.completed.empty())
    log_->info("recovered from the journal {}: {} unfinished tasks re-enter, {} completed ids "
               "kept",
               journal_->file(), found.unfinished.size(), found.completed.size());
  state_.recover(found, now);
  act();
}

void dispatcher::journaled(uint64_t seq, const std::string& error) {
  if (seq > committed_)
    committed_ = seq;
  if (!error.empty())
    log_->error("the task journal failed to commit (records up to {}): {}", seq, error);
  while (!unacked_.empty() && unacked_.front().seq <= committed_) {
    auto& x = unacked_.front();
    if (error.empty())
      x.promise.deliver(std::move(x.task_id));
    else
      x.promise.deliver(caf::make_error(errc::journal_failed, "task " + x.task_id +
                                                                  " is not durable: the journal "
                                                                  "failed to commit: " +
                                                                  error));
    unacked_.pop_front();
  }
  // Outcomes are real even if their record failed: delivered either way.
  while (!undelivered_.empty() && undelivered_.front().seq <= committed_) {
    auto& x = undelivered_.front();
    for (auto& waiter : x.more)
      static_cast<caf::response_promise&>(waiter).deliver(x.msg);
    if (x.first.pending())
      static_cast<caf::response_promise&>(x.first).deliver(std::move(x.msg));
    undelivered_.pop_front();
  }
  if (drained_ && undelivered_.empty() && unacked_.empty()) {
    drained_ = false;
    for (auto& waiter : drain_waiters_)
      waiter.deliver(state_.stats());
    drain_waiters_.clear();
  }
}

void dispatcher::defer(uint32_t waiters, uint64_t seq, caf::message&& msg) {
  undelivered_outcome x;
  x.seq = seq;
  auto more = more_waiters_.empty() ? more_waiters_.end() : more_waiters_.find(waiters);
  if (more != more_waiters_.end()) {
    x.more = std::move(more->second);
    more_waiters_.erase(more);
  }
  if (waiters / waiter_block < first_waiters_.size()) {
    auto& slot = first_waiters_[waiters / waiter_block][waiters % waiter_block];
    if (slot.pending()) {
      x.first = std::move(slot);
      slot = caf::typed_response_promise<outcome>{};
    }
  }
  if (x.more.empty() && !x.first.pending())
    return;
  x.msg = std::move(msg);
  undelivered_.push_back(std::move(x));
}

void dispatcher::tell_history(const std::vector<dispatcher_actions::settlement>& settled) {
  std::vector<settled_task> rows;
  rows.reserve(settled.size());
  auto now = clock().now();
  for (auto& s : settled)
    if (auto row = ledger_->settle(s.result(), now))
      rows.push_back(std::move(*row));
  if (!rows.empty())
    caf::unsafe_send_as(this, history_, history_atom::value, std::move(rows));
}

caf::typed_response_promise<outcome>& dispatcher::first_waiter(uint32_t waiters) {
  while (waiters / waiter_block >= first_waiters_.size())
    first_waiters_.push_back(
        std::make_unique<caf::typed_response_promise<outcome>[]>(waiter_block));
  return first_waiters_[waiters / waiter_block][waiters % waiter_block];
}

void dispatcher::deliver(uint32_t waiters, caf::message&& msg) {
  auto more = more_waiters_.empty() ? more_waiters_.end() : more_waiters_.find(waiters);
  auto* first_slot = waiters / waiter_block < first_waiters_.size()
                         ? &first_waiters_[waiters / waiter_block][waiters % waiter_block]
                         : nullptr;
  auto first = first_slot != nullptr && first_slot->pending();
  if (more == more_waiters_.end() && !first)
    return;
  // One message for every waiter (through the untyped promise, which takes a message); the only
  // waiter gets it unshared, so it moves the outcome.
  if (more != more_waiters_.end()) {
    for (auto& waiter : more->second)
      static_cast<caf::response_promise&>(waiter).deliver(msg);
    more_waiters_.erase(more);
  }
  if (first) {
    auto promise = std::move(*first_slot);
    *first_slot = caf::typed_response_promise<outcome>{};
    static_cast<caf::response_promise&>(promise).deliver(std::move(msg));
  }
}

void dispatcher::report(uint64_t lease_id, outcome& result, time_point now) {
  if (state_.report(lease_id, result, now))
    return;
  // A late result of a taken-back lease frees its agent's slot.
  if (auto key = agent_key(current_sender() ? current_sender()->address() : caf::actor_addr{}))
    state_.release_abandoned(*key, lease_id, now);
}

const uint64_t* dispatcher::agent_key(const caf::actor_addr& addr) const {
  auto i = agent_keys_.find(addr);
  return i == agent_keys_.end() ? nullptr : &i->second;
}

caf::result<void> dispatcher::connect_retry(const caf::actor& scheduler) {
  auto refuse = [this](std::string why) {
    log_->error("{}", why);
    return caf::make_error(errc::invalid_config, std::move(why));
  };
  if (failures_ != failed_attempts::retry)
    return refuse("this dispatcher ends failed tasks itself (failed_attempts::end_task) and "
                  "takes no retry scheduler");
  if (retry_scheduler_)
    return refuse("the dispatcher is connected to a retry scheduler already");
  if (!scheduler)
    return refuse("connect_retry_atom needs a retry scheduler");
  retry_scheduler_ = scheduler;
  monitor(retry_scheduler_);
  for (auto& t : unsent_retries_)
    caf::unsafe_send_as(this, retry_scheduler_, retry_atom::value, std::move(t));
  unsent_retries_.clear();
  for (auto& t : unsent_routes_)
    caf::unsafe_send_as(this, retry_scheduler_, route_atom::value, std::move(t));
  unsent_routes_.clear();
  return caf::unit;
}

int64_t dispatcher::wall_ms(time_point now) const {
  return guard_ ? guard_->wall_ms(now) : to_epoch_ms(now);
}

caf::error dispatcher::refusal(submit_decision& decision) {
  if (decision.error == errc::budget_exhausted)
    budget_refused(decision.reason, decision.until_ms);
  return caf::make_error(decision.error, std::move(decision.reason));
}

void dispatcher::budget_refused(const std::string& why, std::optional<int64_t> until_ms) {
  if (budget_paused_until_ && until_ms && *budget_paused_until_ == *until_ms)
    return; // paused already, timer armed
  budget_paused_metric_->set(1);
  if (!until_ms) {
    log_->error("intake refuses new tasks until an operator acts: {}", why);
    return;
  }
  log_->warn("intake paused until {} ({}); tasks in flight go on", format_utc(*until_ms), why);
  budget_paused_until_ = until_ms;
  auto delay = std::max(from_ms(*until_ms - wall_ms(clock().now())), duration{0});
  delayed_send(this, delay, budget_reset_atom::value, ++budget_timer_);
}

void dispatcher::forget_agent(const caf::actor_addr& addr, const std::string& why) {
  auto i = agent_keys_.find(addr);
  if (i == agent_keys_.end())
    return;
  auto key = i->second;
  agent_keys_.erase(i);
  state_.remove(key, why, clock().now());
  act();
  agent_handles_[key] = nullptr;
}

} // namespace herd
