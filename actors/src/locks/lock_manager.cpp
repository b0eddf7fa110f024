#include "herd/locks/lock_manager.hpp"

#include <algorithm>

#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/core/logging.hpp"

namespace herd {

namespace {

/// The first token of a manager started at `now`: the clock's nanoseconds, so a restarted
/// manager hands out larger tokens than the one before it.
uint64_t first_token(time_point now) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  return ns > 0 ? static_cast<uint64_t>(ns) : 1;
}

/// The table's name for one incarnation of a holder: "<name>#<actor id>".
std::string holder_identity(const std::string& name, uint64_t actor_id) {
  return name + "#" + std::to_string(actor_id);
}

} // namespace

lock_manager::lock_manager(caf::actor_config& cfg, locks_config config,
                           std::shared_ptr<metrics_registry> metrics)
    : lock_manager_actor::base(cfg), table_(std::move(config), first_token(clock().now())),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      log_(component_logger("locks")) {
  auto& m = *metrics_;
  held_metric_ = &m.gauge("herd_locks_held", "Resource locks held now");
  waiters_metric_ = &m.gauge("herd_lock_waiters", "Lock requests waiting in line now");
  grants_.metric = &m.counter("herd_lock_grants_total", "Resource locks granted");
  expiries_.metric =
      &m.counter("herd_lock_expiries_total", "Lock leases that ran out before a release");
  revocations_.metric = &m.counter("herd_lock_revocations_total",
                                   "Locks released because their holder died or was isolated");
  const char* refusals_help = "Lock requests that failed without a grant, by reason";
  queue_full_.metric =
      &m.counter("herd_lock_refusals_total", refusals_help, {{"reason", "queue_full"}});
  wait_timeouts_.metric =
      &m.counter("herd_lock_refusals_total", refusals_help, {{"reason", "wait_timeout"}});
}

void lock_manager::total_metric::publish(uint64_t total) {
  if (total > published)
    metric->inc(total - published);
  published = total;
}

lock_manager::behavior_type lock_manager::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) {
    auto i = holders_.find(msg.source);
    if (i == holders_.end())
      return;
    auto holder = std::move(i->second);
    holders_.erase(i);
    on_revoke(holder, "is down");
  });
  return {
      [this](lock_acquire_atom, lock_request& request) { return on_acquire(request); },
      [this](lock_release_atom, const std::string& name, uint64_t token) {
        auto result = table_.release(name, token, clock().now());
        after_change();
        return result;
      },
      [this](lock_renew_atom, const std::string& name, uint64_t token, duration lease) {
        auto result = table_.renew(name, token, lease, clock().now());
        after_change();
        return result;
      },
      [this](lock_check_atom, const std::string& name, uint64_t token) {
        return table_.check(name, token);
      },
      [this](lock_revoke_atom, const std::string& holder, uint64_t actor_id) {
        on_revoke(holder_identity(holder, actor_id), "was isolated");
      },
      [this](tick_atom, uint64_t generation) {
        if (!timer_.fired(generation))
          return; // a timer an earlier change made obsolete
        table_.expire(clock().now());
        after_change();
      },
  };
}

caf::result<lock_reply> lock_manager::on_acquire(lock_request& request) {
  auto holder = request.holder ? request.holder : caf::actor_cast<caf::actor>(current_sender());
  auto actor_id = holder ? holder.id() : 0;
  auto name =
      holder_identity(request.holder_name.empty() ? "actor" : request.holder_name, actor_id);
  if (holder && holders_.emplace(holder.address(), name).second)
    monitor(holder);
  auto ticket = ++next_ticket_;
  auto now = clock().now();
  auto reply = table_.acquire(request.name, name, request.lease, request.wait_timeout, ticket, now);
  if (reply) {
    after_change();
    return std::move(*reply);
  }
  auto promise = make_response_promise<lock_reply>();
  waiting_.emplace(ticket, promise);
  after_change();
  return promise;
}

void lock_manager::on_revoke(const std::string& holder, const char* why) {
  auto released = table_.release_holder(holder, clock().now());
  if (released > 0)
    log_->warn("holder {} {}: released {} lock(s)", holder, why, released);
  after_change();
}

void lock_manager::after_change() {
  for (auto& answer : table_.take_answers()) {
    auto i = waiting_.find(answer.ticket);
    if (i == waiting_.end())
      continue;
    auto promise = std::move(i->second);
    waiting_.erase(i);
    promise.deliver(std::move(answer.reply));
  }
  held_metric_->set(static_cast<double>(table_.held()));
  waiters_metric_->set(static_cast<double>(table_.waiting()));
  grants_.publish(table_.grants());
  expiries_.publish(table_.expiries());
  revocations_.publish(table_.revocations());
  queue_full_.publish(table_.queue_full());
  wait_timeouts_.publish(table_.wait_timeouts());
  arm_timer();
}

void lock_manager::arm_timer() {
  auto due = table_.next_deadline();
  if (auto generation = timer_.arm(due))
    delayed_send(this, std::max(due - clock().now(), duration{0}), tick_atom::value, *generation);
}

void lock_manager::on_exit() {
  table_.clear();
  for (auto& answer : table_.take_answers()) {
    auto i = waiting_.find(answer.ticket);
    if (i != waiting_.end())
      i->second.deliver(std::move(answer.reply));
  }
  waiting_.clear();
  holders_.clear();
  held_metric_->set(0);
  waiters_metric_->set(0);
}

} // namespace herd
