#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "herd/core/time.hpp"
#include "herd/locks/lock_reply.hpp"
#include "herd/locks/locks_config.hpp"

namespace herd {

/// Named exclusive locks with leases, bounded FIFO wait queues and fencing tokens; the logic of
/// the lock manager, without a scheduler (the clock is an argument of every call).
///
/// - A free lock is granted at once; a held one queues the request (first come, first served)
///   unless `max_waiters` already wait: then it is refused as rate_limited ("lock_queue_full")
///   with the holder's remaining lease as retry_after.
/// - Every grant gets a fencing token larger than every token granted before by this table (one
///   counter for every lock, starting at `first_token`), so a downstream store that keeps the
///   largest token it has seen can refuse a stale holder's writes.
/// - A grant ends when its holder releases it, when its lease runs out (`expire`), or when its
///   holder dies or is isolated (`release_holder`); the lock then goes to the next waiter.
/// - A release, renewal or check under a token that is no longer the lock's fails as timeout
///   ("lock_lost"): the stale holder learns it lost the lock.
/// - A wait that runs out fails as timeout ("lock_wait_timeout").
///
/// Answers to queued requests are collected under their ticket (`take_answers`). A lock that is
/// neither held nor waited for is forgotten, so the table holds only locks in use.
class lock_table {
public:
  /// A queued request's answer: its ticket and the reply.
  struct answer {
    /// The ticket the request was queued under.
    uint64_t ticket = 0;
    /// The grant or the failure.
    lock_reply reply;
  };

  /// A table with `config`'s defaults whose first token is `first_token` (at least 1).
  explicit lock_table(locks_config config, uint64_t first_token = 1);

  /// Requests lock `name` for `holder` with `lease` and `wait` (0 = the defaults): the reply at
  /// once (a grant or a refusal), or none when the request waits in line under `ticket`.
  std::optional<lock_reply> acquire(const std::string& name, const std::string& holder,
                                    duration lease, duration wait, uint64_t ticket, time_point now);
  /// Releases lock `name` held under `token`; the next waiter gets it.
  lock_reply release(const std::string& name, uint64_t token, time_point now);
  /// Extends the lease of `name` held under `token` to `now + lease` (0 = the grant's lease).
  lock_reply renew(const std::string& name, uint64_t token, duration lease, time_point now);
  /// Whether `token` still holds `name` (the grant with its expiry, or "lock_lost").
  lock_reply check(const std::string& name, uint64_t token) const;
  /// Releases every lock `holder` holds and drops its waits (answered "lock_holder_gone");
  /// returns how many locks it held.
  size_t release_holder(const std::string& holder, time_point now);
  /// Ends the leases and waits due at `now`.
  void expire(time_point now);
  /// Answers every waiter with "lock_manager_stopped" and forgets every lock.
  void clear();

  /// The earliest lease end or wait deadline; time_point::max() if none.
  time_point next_deadline() const;
  /// The answers to queued requests since the last call.
  std::vector<answer> take_answers();

  /// Locks held now.
  size_t held() const { return held_; }
  /// Requests waiting in line now, over every lock.
  size_t waiting() const { return waiting_; }
  /// Grants so far.
  uint64_t grants() const { return grants_; }
  /// Leases that ran out so far.
  uint64_t expiries() const { return expiries_; }
  /// Grants ended because their holder died or was isolated.
  uint64_t revocations() const { return revocations_; }
  /// Requests refused because the wait queue was full.
  uint64_t queue_full() const { return queue_full_; }
  /// Waits that ran out.
  uint64_t wait_timeouts() const { return wait_timeouts_; }
  /// The defaults.
  const locks_config& config() const { return config_; }

private:
  // A due time: a lease (id = token) or a wait (id = ticket), removed when it ends earlier.
  struct timer {
    std::string name;
    uint64_t id;
    bool lease;
  };
  using timer_map = std::multimap<time_point, timer>;
  struct waiter {
    uint64_t ticket;
    std::string holder;
    duration lease;
    timer_map::iterator due;
  };
  struct entry {
    bool held = false;
    uint64_t token = 0;
    std::string holder;
    duration lease{0};
    time_point expires;
    timer_map::iterator due;
    std::deque<waiter> waiters;
  };

  lock_grant grant(entry& e, const std::string& name, std::string holder, duration lease,
                   time_point now);
  // Ends the current grant of `name` and grants the next waiter; forgets an idle lock.
  void hand_over(std::map<std::string, entry>::iterator i, time_point now);
  lock_reply lost(const std::string& name, uint64_t token) const;

  locks_config config_;
  uint64_t next_token_;
  std::map<std::string, entry> locks_;
  timer_map timers_;
  std::vector<answer> answers_;
  size_t held_ = 0;
  size_t waiting_ = 0;
  uint64_t grants_ = 0;
  uint64_t expiries_ = 0;
  uint64_t revocations_ = 0;
  uint64_t queue_full_ = 0;
  uint64_t wait_timeouts_ = 0;
};

} // namespace herd
