#include "herd/locks/lock_table.hpp"

#include <algorithm>

namespace herd {

lock_table::lock_table(locks_config config, uint64_t first_token)
    : config_(std::move(config)), next_token_(std::max<uint64_t>(first_token, 1)) {}

std::optional<lock_reply> lock_table::acquire(const std::string& name, const std::string& holder,
                                              duration lease, duration wait, uint64_t ticket,
                                              time_point now) {
  if (name.empty())
    return lock_reply::failed(
        failure::permanent("a lock needs a name").because("lock_bad_request"));
  if (lease <= duration{0})
    lease = config_.lease;
  if (wait <= duration{0})
    wait = config_.wait_timeout;
  auto& e = locks_[name];
  if (!e.held)
    return lock_reply::granted(grant(e, name, holder, lease, now));
  if (e.waiters.size() >= config_.max_waiters) {
    ++queue_full_;
    return lock_reply::failed(failure::rate_limited("lock " + name + " has " +
                                                        std::to_string(e.waiters.size()) +
                                                        " requests waiting (max_waiters " +
                                                        std::to_string(config_.max_waiters) + ")",
                                                    std::max(e.expires - now, duration{0}))
                                  .because("lock_queue_full"));
  }
  auto due = timers_.emplace(now + wait, timer{name, ticket, false});
  e.waiters.push_back(waiter{ticket, holder, lease, due});
  ++waiting_;
  return std::nullopt;
}

lock_grant lock_table::grant(entry& e, const std::string& name, std::string holder, duration lease,
                             time_point now) {
  e.held = true;
  e.token = next_token_++;
  e.holder = std::move(holder);
  e.lease = lease;
  e.expires = now + lease;
  e.due = timers_.emplace(e.expires, timer{name, e.token, true});
  ++held_;
  ++grants_;
  return lock_grant{name, e.token, e.expires};
}

void lock_table::hand_over(std::map<std::string, entry>::iterator i, time_point now) {
  auto& e = i->second;
  if (e.held) {
    timers_.erase(e.due);
    e.held = false;
    e.holder.clear();
    --held_;
  }
  if (e.waiters.empty()) {
    locks_.erase(i);
    return;
  }
  auto next = std::move(e.waiters.front());
  e.waiters.pop_front();
  --waiting_;
  timers_.erase(next.due);
  answers_.push_back(
      answer{next.ticket, lock_reply::granted(grant(e, i->first, next.holder, next.lease, now))});
}

lock_reply lock_table::lost(const std::string& name, uint64_t token) const {
  if (token == 0 || token >= next_token_)
    return lock_reply::failed(
        failure::permanent("lock " + name + " never had token " + std::to_string(token))
            .because("lock_unknown_token"));
  return lock_reply::failed(failure::timeout("lock " + name + " is no longer held under token " +
                                             std::to_string(token) +
                                             " (lease expired, released or revoked)")
                                .because("lock_lost"));
}

lock_reply lock_table::release(const std::string& name, uint64_t token, time_point now) {
  auto i = locks_.find(name);
  if (i == locks_.end() || !i->second.held || i->second.token != token)
    return lost(name, token);
  lock_grant ended{name, token, now};
  hand_over(i, now);
  return lock_reply::granted(std::move(ended));
}

lock_reply lock_table::renew(const std::string& name, uint64_t token, duration lease,
                             time_point now) {
  auto i = locks_.find(name);
  if (i == locks_.end() || !i->second.held || i->second.token != token)
    return lost(name, token);
  auto& e = i->second;
  if (lease > duration{0})
    e.lease = lease;
  e.expires = now + e.lease;
  timers_.erase(e.due);
  e.due = timers_.emplace(e.expires, timer{name, token, true});
  return lock_reply::granted(lock_grant{name, token, e.expires});
}

lock_reply lock_table::check(const std::string& name, uint64_t token) const {
  auto i = locks_.find(name);
  if (i == locks_.end() || !i->second.held || i->second.token != token)
    return lost(name, token);
  return lock_reply::granted(lock_grant{name, token, i->second.expires});
}

size_t lock_table::release_holder(const std::string& holder, time_point now) {
  size_t released = 0;
  for (auto i = locks_.begin(); i != locks_.end();) {
    auto next = std::next(i);
    auto& e = i->second;
    for (auto w = e.waiters.begin(); w != e.waiters.end();) {
      if (w->holder != holder) {
        ++w;
        continue;
      }
      timers_.erase(w->due);
      answers_.push_back(answer{
          w->ticket,
          lock_reply::failed(
              failure::unavailable("holder " + holder + " is gone").because("lock_holder_gone"))});
      w = e.waiters.erase(w);
      --waiting_;
    }
    if (e.held && e.holder == holder) {
      ++released;
      ++revocations_;
      hand_over(i, now);
    } else if (!e.held && e.waiters.empty())
      locks_.erase(i);
    i = next;
  }
  return released;
}

void lock_table::expire(time_point now) {
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto due = timers_.begin();
    auto i = locks_.find(due->second.name);
    if (i == locks_.end()) { // cannot happen: ended grants and waits take their timers along
      timers_.erase(due);
      continue;
    }
    auto& e = i->second;
    if (due->second.lease) {
      ++expiries_;
      hand_over(i, now); // erases `due`
      continue;
    }
    auto w = std::find_if(e.waiters.begin(), e.waiters.end(),
                          [&](const waiter& x) { return x.ticket == due->second.id; });
    timers_.erase(due);
    if (w == e.waiters.end())
      continue;
    ++wait_timeouts_;
    answers_.push_back(answer{
        w->ticket, lock_reply::failed(failure::timeout("lock " + i->first + " still held by " +
                                                       e.holder + " when the wait ran out")
                                          .because("lock_wait_timeout"))});
    e.waiters.erase(w);
    --waiting_;
  }
}

void lock_table::clear() {
  for (auto& [name, e] : locks_)
    for (auto& w : e.waiters)
      answers_.push_back(answer{
          w.ticket,
          lock_reply::failed(
              failure::unavailable("the lock manager stopped").because("lock_manager_stopped"))});
  locks_.clear();
  timers_.clear();
  held_ = 0;
  waiting_ = 0;
}

time_point lock_table::next_deadline() const {
  return timers_.empty() ? time_point::max() : timers_.begin()->first;
}

std::vector<lock_table::answer> lock_table::take_answers() {
  std::vector<answer> result;
  result.swap(answers_);
  return result;
}

} // namespace herd
