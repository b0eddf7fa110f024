#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <caf/actor_addr.hpp>
#include <caf/response_promise.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "herd/core/deadline_timer.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/locks/lock_table.hpp"
#include "herd/locks/locks_config.hpp"
#include "herd/locks/protocol.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Hands out named exclusive locks with leases and fencing tokens (a thin shell around
/// `lock_table`; see there for the rules).
///
/// Protocol (herd/locks/protocol.hpp): `(lock_acquire_atom, lock_request)` answers when the lock
/// is granted, refused or the wait runs out; `(lock_release_atom, name, token)`,
/// `(lock_renew_atom, name, token, lease)` and `(lock_check_atom, name, token)` answer at once,
/// "lock_lost" for a token that no longer holds the lock; `(lock_revoke_atom, holder, actor_id)`
/// releases every lock of one incarnation of a holder (the runtime sends it for an agent the
/// health monitor isolated).
///
/// A holder is one actor incarnation, "<holder_name>#<actor id>" in the table: an agent restarted
/// under the same name is another holder, so the death or isolation of an old incarnation never
/// releases the new one's locks. Holders are monitored: a holder that dies loses its locks and
/// waits at once, and the next waiter gets the lock with a higher token. Tokens start at the actor
/// clock's nanoseconds when the manager starts, so a restarted manager's tokens are larger than its
/// predecessor's (within one process). Leases and waits end on one `delayed_send` timer with a
/// generation number.
///
/// Metrics: herd_locks_held, herd_lock_waiters (gauges), herd_lock_grants_total,
/// herd_lock_expiries_total, herd_lock_revocations_total and
/// herd_lock_refusals_total{reason="queue_full"|"wait_timeout"} (counters).
class lock_manager : public lock_manager_actor::base {
public:
  /// A lock manager with `config`'s defaults, counting into `metrics`.
  lock_manager(caf::actor_config& cfg, locks_config config,
               std::shared_ptr<metrics_registry> metrics);

  /// "herd.lock_manager".
  const char* name() const override { return "herd.lock_manager"; }

  /// Answers every waiter with "lock_manager_stopped".
  void on_exit() override;

protected:
  behavior_type make_behavior() override;

private:
  // A counter fed from one of the table's running totals.
  struct total_metric {
    counter* metric = nullptr;
    uint64_t published = 0; // the total the counter has counted so far
    // Adds to the counter what `total` grew since the last call.
    void publish(uint64_t total);
  };

  caf::result<lock_reply> on_acquire(lock_request& request);
  void on_revoke(const std::string& holder, const char* why);
  // Delivers the table's answers, updates the gauges and counters, arms the timer.
  void after_change();
  void arm_timer();

  lock_table table_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<uint64_t, caf::response_promise> waiting_; // by ticket
  std::map<caf::actor_addr, std::string> holders_;    // monitored holders' identities
  uint64_t next_ticket_ = 0;
  deadline_timer timer_;

  gauge* held_metric_;
  gauge* waiters_metric_;
  total_metric grants_;
  total_metric expiries_;
  total_metric revocations_;
  total_metric queue_full_;
  total_metric wait_timeouts_;
};

} // namespace herd
