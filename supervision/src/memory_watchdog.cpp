#include "herd/supervision/memory_watchdog.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "herd/core/error_replies.hpp"
#include "herd/core/logging.hpp"
#include "herd/supervision/supervision_event.hpp"

namespace herd {

memory_watchdog::memory_watchdog(caf::actor_config& cfg, memory_watchdog_config config,
                                 std::shared_ptr<memory_probe> probe,
                                 std::function<dispatcher_actor()> dispatcher,
                                 std::shared_ptr<metrics_registry> metrics)
    : memory_watchdog_actor::base(cfg), config_(config), pressure_(config),
      probe_(std::move(probe)), dispatcher_(std::move(dispatcher)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      log_(component_logger("memory_watchdog")) {
  resident_metric_ = &metrics_->gauge("herd_memory_resident_bytes",
                                      "The process's resident memory at the last check", {});
  paused_metric_ = &metrics_->gauge("herd_memory_intake_paused",
                                    "1 while intake is paused above the hard memory limit", {});
  soft_metric_ = &metrics_->counter("herd_memory_soft_limit_total",
                                    "Times resident memory rose above the soft limit", {});
  hard_metric_ = &metrics_->counter("herd_memory_hard_limit_total",
                                    "Times resident memory rose above the hard limit", {});
  released_metric_ = &metrics_->counter(
      "herd_memory_released_bytes_total",
      "Resident bytes given back to the system by releasing freed heap memory", {});
}

memory_watchdog::behavior_type memory_watchdog::make_behavior() {
  set_down_handler([this](caf::down_msg& dm) { listeners_.drop(dm.source); });
  log_error_replies(*this, log_); // listeners' answers to events
  delayed_send(this, config_.check_interval, tick_atom::value, uint64_t{0});
  next_release_ = clock().now() + config_.release_interval;
  return {
      [this](tick_atom, uint64_t) {
        check();
        delayed_send(this, config_.check_interval, tick_atom::value, uint64_t{0});
      },
      [this](subscribe_atom, const caf::actor& who) {
        if (listeners_.add(who))
          monitor(who);
      },
  };
}

void memory_watchdog::on_exit() {
  probe_ = nullptr;
  dispatcher_ = nullptr;
  listeners_ = subscriber_list{};
}

void memory_watchdog::release() {
  if (config_.release_interval.count() == 0)
    return;
  auto now = clock().now();
  if (now < next_release_)
    return;
  next_release_ = now + config_.release_interval;
  auto released = probe_->release_free_memory();
  released_metric_->inc(static_cast<double>(released));
  log_->debug("released {} bytes of freed memory to the system", released);
}

void memory_watchdog::check() {
  if (!probe_)
    return;
  release();
  auto bytes = probe_->resident_bytes();
  resident_metric_->set(static_cast<double>(bytes));
  auto changed = pressure_.observe(bytes);
  if (!changed)
    return;
  auto why = pressure_.describe(bytes);
  auto kind = supervision_event_kind::memory_recovered;
  if (*changed == memory_level::hard) {
    kind = supervision_event_kind::memory_hard_limit;
    hard_metric_->inc();
    log_->error("{}", why);
  } else if (*changed == memory_level::soft) {
    kind = supervision_event_kind::memory_soft_limit;
    soft_metric_->inc();
    log_->warn("{}", why);
  } else {
    log_->info("{}", why);
  }
  // Intake pauses above the hard limit and resumes once below it (soft or normal).
  bool pause = *changed == memory_level::hard;
  if (pause != paused_) {
    paused_ = pause;
    paused_metric_->set(pause ? 1 : 0);
    if (auto dispatcher = dispatcher_ ? dispatcher_() : dispatcher_actor{})
      send(dispatcher, memory_pause_atom::value, pause, why);
    // Falling from hard to soft is a recovery of intake, whatever the soft alert says.
    if (!pause && *changed == memory_level::soft) {
      supervision_event resumed{supervision_event_kind::memory_recovered, "memory_watchdog",
                                "process", "intake resumes: " + why, clock().now()};
      for (auto& l : listeners_.all())
        caf::unsafe_send_as(this, l, sup_event_atom::value, resumed);
      return;
    }
  }
  supervision_event event{kind, "memory_watchdog", "process", why, clock().now()};
  for (auto& l : listeners_.all())
    caf::unsafe_send_as(this, l, sup_event_atom::value, event);
}

} // namespace herd
