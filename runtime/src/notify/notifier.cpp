#include "notifier.hpp"

#include <spdlog/spdlog.h>

#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/notify/protocol.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"

namespace herd {

namespace {

/// The pool whose agents deliver notifications, and their tasks' kind.
constexpr const char* notify_pool = "herd.notify";
constexpr const char* notify_kind = "notification";

/// True for the breaker of a webhook's own service: reporting it through webhooks would feed
/// a failing webhook its own alarms.
bool is_webhook_service(const std::string& service) {
  return service.rfind("webhook:", 0) == 0;
}

} // namespace

notifier::notifier(caf::actor_config& cfg, notifications_config config, notifier_peers peers,
                   std::shared_ptr<metrics_registry> metrics)
    : caf::event_based_actor(cfg), router_(std::move(config)), peers_(std::move(peers)),
      metrics_(std::move(metrics)), log_(component_logger("notifier")) {
  if (!peers_.wall_clock)
    peers_.wall_clock = wall_now_ms;
  if (!metrics_)
    metrics_ = std::make_shared<metrics_registry>();
  for (auto kind : all_notification_kinds())
    for (auto result : {"sent", "failed", "dead_lettered"})
      counter_of(kind, result); // every series exists from the start, at 0
  for (size_t i = 0; i < router_.config().webhooks.size(); ++i)
    update_pending(i);
}

caf::behavior notifier::make_behavior() {
  set_default_handler(caf::drop);
  return {
      [this](const breaker_transition& x) { on_transition(x); },
      [this](notify_check_atom, const std::string& key, const std::string& service, uint64_t hook) {
        on_check(key, service, static_cast<size_t>(hook));
      },
      [this](sup_event_atom, const supervision_event& x) { on_supervision(x); },
      // Handled, not dropped: a dropped message answers its sender with an error.
      [](restarted_atom, const std::string&, const caf::actor&, const caf::actor&) {},
      [this](dlq_alert_atom, int64_t depth, int64_t threshold) { on_depth(depth, threshold); },
      [this](esc_opened_atom, const std::string& id, const std::string& kind,
             const std::string& pool, const std::string& reason) {
        publish(make(notification_kind::escalation, id,
                     "task " + id + " (kind " + kind + ", pool " + pool +
                         ") waits for a person: " + reason,
                     {{"task_id", id}, {"kind", kind}, {"pool", pool}, {"reason", reason}}));
      },
      [this](notify_atom, const std::string& kind, const std::string& subject,
             const std::string& text) {
        if (auto parsed = parse_notification_kind(kind))
          publish(make(*parsed, subject, text));
        else
          log_->error("a notification of unknown kind \"{}\" was dropped", kind);
      },
  };
}

notification notifier::make(notification_kind kind, std::string subject, std::string text,
                            nlohmann::json details) const {
  notification n;
  n.kind = kind;
  n.subject = std::move(subject);
  n.text = std::move(text);
  n.details = std::move(details);
  n.at_ms = peers_.wall_clock();
  return n;
}

void notifier::on_transition(const breaker_transition& x) {
  if (is_webhook_service(x.service))
    return;
  for (auto& check : router_.breaker_moved(x.key, x.to, clock().now()))
    delayed_send(this, check.delay, notify_check_atom::value, x.key, x.service,
                 static_cast<uint64_t>(check.hook));
}

void notifier::on_check(const std::string& key, const std::string& service, size_t hook) {
  auto now = clock().now();
  auto since = router_.open_since(key);
  if (!since || !router_.breaker_due(key, hook, now))
    return;
  auto open_ms = to_ms(std::chrono::duration_cast<duration>(now - *since));
  auto text = "the circuit breaker of service " + service +
              (key == service ? std::string{} : " (" + key + ")") + " has been open for " +
              std::to_string(open_ms) + " ms";
  deliver(make(notification_kind::breaker_open, service, text,
               {{"key", key}, {"service", service}, {"open_ms", open_ms}}),
          hook);
}

void notifier::on_supervision(const supervision_event& x) {
  if (x.kind != supervision_event_kind::isolated)
    return;
  auto text = "agent " + x.name + " was isolated by " + x.source +
              (x.detail.empty() ? std::string{} : ": " + x.detail);
  publish(make(notification_kind::isolation, x.name, text,
               {{"agent", x.name}, {"source", x.source}, {"detail", x.detail}}));
}

void notifier::on_depth(int64_t depth, int64_t threshold) {
  auto n = make(notification_kind::dead_letter_depth, "dead_letters",
                "the dead-letter queue holds " + std::to_string(depth) +
                    " letters (alert threshold " + std::to_string(threshold) + ")",
                {{"depth", depth}, {"threshold", threshold}});
  for (auto hook : router_.depth_targets(threshold))
    deliver(n, hook);
}

void notifier::publish(const notification& n) {
  for (auto hook : router_.targets(n.kind))
    deliver(n, hook);
}

void notifier::deliver(const notification& n, size_t hook) {
  auto& config = router_.hook(hook);
  auto id =
      "notify-" + config.name + "-" + std::to_string(n.at_ms) + "-" + std::to_string(++sequence_);
  auto t = task::make(id, notify_kind, n.body(config.format), notify_pool, config.service_name());
  t.created = clock().now();
  if (!router_.reserve(hook)) {
    reject(std::move(t), hook, n.kind,
           "the notification queue of webhook " + config.name + " is full (" +
               std::to_string(config.queue_capacity) + " pending)");
    return;
  }
  update_pending(hook);
  auto kind = n.kind;
  auto dispatcher = peers_.dispatcher ? peers_.dispatcher() : caf::actor{};
  if (!dispatcher) {
    router_.release(hook);
    update_pending(hook);
    reject(std::move(t), hook, n.kind, "the runtime has no dispatcher (shutting down)");
    return;
  }
  auto settle = [this, hook, kind](const std::string& result) {
    router_.release(hook);
    update_pending(hook);
    count(kind, result);
  };
  request(dispatcher, caf::infinite, submit_atom::value, t)
      .then(
          [this, settle, id](outcome& result) {
            if (result.status == outcome_status::completed) {
              settle("sent");
            } else if (result.status == outcome_status::dead_lettered) {
              log_->warn("notification {} was dead-lettered: {}", id, to_string(result.error));
              settle("dead_lettered");
            } else {
              log_->error("notification {} ended {}: {}", id, to_string(result.status),
                          to_string(result.error));
              settle("failed");
            }
          },
          [this, hook, kind, t](caf::error& err) mutable {
            router_.release(hook);
            update_pending(hook);
            reject(std::move(t), hook, kind,
                   "the dispatcher refused the notification: " + system().render(err));
          });
}

void notifier::reject(task t, size_t hook, notification_kind kind, const std::string& why) {
  auto& config = router_.hook(hook);
  attempt_record refused;
  refused.number = 0;
  refused.time = clock().now();
  refused.agent = name();
  refused.error = failure::unavailable(why).because("notification_refused");
  t.history.push_back(refused);
  auto queue = peers_.dead_letters ? peers_.dead_letters() : caf::actor{};
  if (!queue) {
    log_->error("notification {} for webhook {} was lost: {}, and there is no dead-letter "
                "queue (configure \"dead_letters\")",
                t.id, config.name, why);
    count(kind, "failed");
    return;
  }
  log_->warn("notification {} for webhook {} is dead-lettered: {}", t.id, config.name, why);
  auto id = t.id;
  request(queue, caf::infinite, dead_letter_atom::value, std::move(t), dead_letter_reason::overflow)
      .then([this, kind](caf::ok_atom) { count(kind, "dead_lettered"); },
            [this, kind, id](caf::error& err) {
              log_->error("notification {} could not be dead-lettered: {}", id,
                          system().render(err));
              count(kind, "failed");
            });
}

counter& notifier::counter_of(notification_kind kind, const std::string& result) {
  return metrics_->counter("herd_notifications_total",
                           "Webhook notifications by event kind and how they ended (sent, "
                           "failed, dead_lettered)",
                           {{"event", to_string(kind)}, {"result", result}});
}

void notifier::count(notification_kind kind, const std::string& result) {
  counter_of(kind, result).inc();
}

void notifier::update_pending(size_t hook) {
  metrics_
      ->gauge("herd_notifications_pending", "Notifications of a webhook pending delivery",
              {{"webhook", router_.hook(hook).name}})
      .set(static_cast<double>(router_.pending(hook)));
}

} // namespace herd
