#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/task.hpp"
#include "herd/notify/notification.hpp"
#include "herd/notify/notification_router.hpp"

namespace spdlog {
class logger;
}

namespace herd {

struct breaker_transition;
struct supervision_event;

/// The actors a notifier hands its work to, looked up at each use (they change when the
/// system actors restart).
struct notifier_peers {
  /// The dispatcher, which runs each notification as a task of kind "notification".
  std::function<caf::actor()> dispatcher;
  /// The dead-letter queue; nullptr without one.
  std::function<caf::actor()> dead_letters;
  /// Wall-clock UTC ms since the Unix epoch. Default: `wall_now_ms`.
  std::function<int64_t()> wall_clock;
};

/// Turns the runtime's events into webhook notifications (docs/notifications.md). A thin shell
/// over `notification_router`: each event of a kind a webhook wants becomes a task of kind
/// "notification" in the pool "herd.notify", whose agents POST it through the webhook's
/// `http_service` and breaker; failed attempts go to the retry scheduler, exhausted ones to
/// the dead-letter queue, like every task. The notifier only submits and counts: it never waits
/// on a webhook. A webhook whose queue (`queue_capacity` notifications pending, retries
/// included) is full has the next one dead-lettered at once (reason overflow), and so has a
/// notification the dispatcher refuses.
///
/// Events (see herd/notify/protocol.hpp): `breaker_transition` (reported when open longer than
/// a webhook's `breaker_open_after`; breakers of the webhooks themselves are not reported),
/// `(sup_event_atom, supervision_event)` (isolations), `(dlq_alert_atom, depth, threshold)`,
/// `(esc_opened_atom, id, kind, pool, reason)`, `(notify_atom, kind, subject, text)`. Anything
/// else is dropped.
///
/// Metrics: `herd_notifications_total{event, result}` (result: sent, failed, dead_lettered)
/// and `herd_notifications_pending{webhook}`.
class notifier : public caf::event_based_actor {
public:
  /// A notifier for the webhooks of `config`, working with `peers`, counting into `metrics`.
  notifier(caf::actor_config& cfg, notifications_config config, notifier_peers peers,
           std::shared_ptr<metrics_registry> metrics);

  /// The actor's name in logs: "herd.notifier".
  const char* name() const override { return "herd.notifier"; }

protected:
  caf::behavior make_behavior() override;

private:
  void on_transition(const breaker_transition& x);
  void on_check(const std::string& key, const std::string& service, size_t hook);
  void on_supervision(const supervision_event& x);
  void on_depth(int64_t depth, int64_t threshold);
  /// Sends `n` to every webhook that wants its kind.
  void publish(const notification& n);
  /// Sends `n` to webhook `hook` only.
  void deliver(const notification& n, size_t hook);
  /// Dead-letters the notification task `t` of webhook `hook` at once, because of `why`.
  void reject(task t, size_t hook, notification_kind kind, const std::string& why);
  /// The counter of notifications of `kind` that ended as `result`.
  counter& counter_of(notification_kind kind, const std::string& result);
  /// Counts a notification's end.
  void count(notification_kind kind, const std::string& result);
  void update_pending(size_t hook);
  notification make(notification_kind kind, std::string subject, std::string text,
                    nlohmann::json details = nlohmann::json::object()) const;

  notification_router router_;
  notifier_peers peers_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  uint64_t sequence_ = 0;
};

} // namespace herd
