#include "history_recorder.hpp"

#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/core/logging.hpp"
#include "herd/core/wall_time.hpp"

namespace herd {

history_recorder::history_recorder(caf::actor_config& cfg, history_config config,
                                   std::unique_ptr<history_store> store,
                                   std::function<int64_t()> wall_clock)
    : history_recorder_actor::base(cfg), config_(std::move(config)), store_(std::move(store)),
      collector_(*store_, config_),
      wall_clock_(wall_clock ? std::move(wall_clock) : std::function<int64_t()>{wall_now_ms}),
      log_(component_logger("history")) {}

history_recorder::behavior_type history_recorder::make_behavior() {
  // Stopping (the root supervisor, the shutdown reaper) flushes first: nothing collected is lost.
  set_exit_handler([this](caf::exit_msg& msg) {
    flush();
    quit(msg.reason);
  });
  // Rows older than the retention go at start, then at most once an hour.
  flush();
  return {
      [this](history_atom, std::vector<settled_task>& tasks) {
        auto offset = wall_offset(clock().now(), wall_clock_());
        for (auto& t : tasks) {
          t.shift_times(offset);
          collector_.settled(std::move(t));
        }
        collected();
      },
      [this](const breaker_transition& x) {
        collector_.breaker_changed(x.key, x.to, wall_ms(x.at));
        collected();
      },
      [this](sup_event_atom, const supervision_event& x) {
        switch (x.kind) {
        case supervision_event_kind::restarted:
          collector_.agent_up(x.name, wall_ms(x.at));
          collected();
          break;
        case supervision_event_kind::stuck:
          break; // one expired lease; the health monitor decides whether the agent is down
        default:
          collector_.agent_down(x.name, wall_ms(x.at));
          break;
        }
      },
      [](restarted_atom, const std::string&, const caf::actor&, const caf::actor&) {
        // The supervisors' restarted event (above) says the same with a time.
      },
      [this](history_flush_atom) {
        flush();
        return collector_.written();
      },
      [this](history_tick_atom) {
        timer_armed_ = false;
        flush();
        if (collector_.buffered() > 0)
          collected(); // the store failed: try again after the interval
      },
  };
}

void history_recorder::on_exit() {
  flush();
}

int64_t history_recorder::wall_ms(time_point t) const {
  return to_epoch_ms(t + wall_offset(clock().now(), wall_clock_()));
}

void history_recorder::collected() {
  if (collector_.batch_full()) {
    flush();
    return;
  }
  if (!timer_armed_ && collector_.buffered() > 0) {
    timer_armed_ = true;
    delayed_send(this, config_.flush_interval, history_tick_atom::value);
  }
}

void history_recorder::flush() {
  auto rows = collector_.flush(wall_clock_());
  auto& problem = collector_.last_error();
  if (problem != reported_error_) {
    if (!problem.empty())
      log_->error("task history not written (kept for the next try): {}", problem);
    else
      log_->info("task history written again");
    reported_error_ = problem;
  }
  if (rows > 0)
    log_->debug("task history: {} rows committed", rows);
}

} // namespace herd
