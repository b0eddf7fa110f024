#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "herd/breakers/breaker_state.hpp"
#include "herd/core/time.hpp"
#include "herd/notify/notifications_config.hpp"

namespace herd {

/// The notifier's decisions, without an actor: which webhooks hear of an event, how many
/// notifications each has pending (its bounded queue), and when an open breaker has been open
/// long enough to report. Times are the actor clock's, given by the caller.
///
/// A breaker's open episode starts at its first transition to open and ends when it closes
/// (half-open probes that fail re-open it within the same episode). Each webhook hears of an
/// episode once, when it has lasted that webhook's `breaker_open_after`.
class notification_router {
public:
  /// A breaker check to run after `delay`: is `key` still open for webhook `hook`?
  struct breaker_check {
    /// The webhook's index.
    size_t hook = 0;
    /// How long to wait before checking.
    duration delay{0};
  };

  /// A router for the webhooks of `config`.
  explicit notification_router(notifications_config config);

  /// The webhooks (by index) that receive events of `kind`.
  std::vector<size_t> targets(notification_kind kind) const;
  /// The webhooks that want dead-letter depth alerts at `threshold`.
  std::vector<size_t> depth_targets(int64_t threshold) const;
  /// The distinct dead-letter depth thresholds of the webhooks that want depth alerts.
  std::set<int64_t> depth_thresholds() const;

  /// Takes a slot of `hook`'s queue: true if one was free (then `release` it once the
  /// notification ended), false when the queue is full.
  bool reserve(size_t hook);
  /// Frees a slot that `reserve` took.
  void release(size_t hook);
  /// The notifications of `hook` pending delivery.
  int64_t pending(size_t hook) const;

  /// Notes that the breaker `key` moved to state `to` at `at`: open starts an episode (or goes
  /// on with it), closed ends it, half-open changes nothing. Returns the checks to schedule
  /// (none unless it opened).
  std::vector<breaker_check> breaker_moved(const std::string& key, breaker_state to, time_point at);
  /// True once per episode if `key` is open and has been for `hook`'s threshold at `now`
  /// (then `hook` counts as told).
  bool breaker_due(const std::string& key, size_t hook, time_point now);
  /// When the breaker `key`'s open episode began; none if it is not open.
  std::optional<time_point> open_since(const std::string& key) const;

  /// The configuration.
  const notifications_config& config() const { return config_; }
  /// The webhook at `hook`.
  const webhook_config& hook(size_t index) const { return config_.webhooks.at(index); }

private:
  struct episode {
    time_point since;
    std::set<size_t> told;
  };

  notifications_config config_;
  std::vector<int64_t> pending_;
  std::map<std::string, episode> open_; // by breaker key
};

} // namespace herd
