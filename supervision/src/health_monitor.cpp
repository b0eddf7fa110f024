#include "herd/supervision/health_monitor.hpp"
#include "herd/dispatch/protocol.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "herd/core/atoms.hpp"
#include "herd/core/error_replies.hpp"
#include "herd/core/logging.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"
#include <caf/send.hpp>

namespace herd {

health_monitor::health_monitor(caf::actor_config& cfg, health_monitor_config config,
                               caf::actor dispatcher, std::shared_ptr<metrics_registry> metrics,
                               std::shared_ptr<liveness_board> board)
    : health_monitor_actor::base(cfg), config_(std::move(config)),
      dispatcher_(std::move(dispatcher)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      log_(component_logger("health_monitor")), board_(std::move(board)), checks_(config_, board_) {
  heartbeats_metric_ = &metrics_->counter("herd_heartbeats_total", "Heartbeats received");
  missed_metric_ = &metrics_->counter("herd_heartbeats_missed_total",
                                      "Agents suspected because their heartbeats stopped");
  isolations_metric_ =
      &metrics_->counter("herd_isolations_total", "Agents isolated at the dispatcher");
  stuck_metric_ =
      &metrics_->counter("herd_stuck_reports_total", "Expired leases reported by the dispatcher");
  stale_metric_ = &metrics_->counter("herd_heartbeats_stale_total",
                                     "Heartbeats from unknown agents or old incarnations");
  tracked_metric_ = &metrics_->gauge("herd_agents_tracked", "Agents the health monitor watches");
  for (auto state : {health_state::healthy, health_state::suspect, health_state::isolated,
                     health_state::restarting, health_state::stopped})
    agents_metrics_[static_cast<size_t>(state)] = &metrics_->gauge(
        "herd_agents", "Tracked agents by health state", {{"state", to_string(state)}});
}

health_monitor::behavior_type health_monitor::make_behavior() {
  log_error_replies(*this, log_); // subscribers' answers to events
  set_down_handler([this](caf::down_msg& dm) {
    if (auto r = retired_slots_.find(dm.source); r != retired_slots_.end()) {
      if (board_)
        board_->release(r->second);
      retired_slots_.erase(r);
      return;
    }
    auto i = names_.find(dm.source);
    if (i == names_.end())
      return;
    auto name = std::move(i->second);
    names_.erase(i);
    auto slot = checks_.gone(name, dm.source, clock().now());
    if (slot && board_)
      board_->release(*slot);
    publish_counts();
  });
  if (dispatcher_)
    caf::unsafe_send_as(this, dispatcher_, subscribe_atom::value,
                        caf::actor_cast<caf::actor>(this));
  return {
      [this](track_atom, const caf::actor& agent, const std::string& name,
             const supervisor_actor& supervisor) {
        on_track(agent, name, supervisor, std::nullopt);
      },
      [this](track_atom, const caf::actor& agent, const std::string& name,
             const supervisor_actor& supervisor, uint64_t slot) {
        if (!board_ || slot >= board_->capacity()) {
          log_->error("agent {} tracked with slot {} but there is no such board slot", name, slot);
          return;
        }
        on_track(agent, name, supervisor, static_cast<size_t>(slot));
      },
      [this](untrack_atom, const std::string& name) {
        release(checks_.untrack(name));
        publish_counts();
      },
      [this](heartbeat_atom, const std::string& name, uint64_t seq) { on_heartbeat(name, seq); },
      [this](stuck_atom, const std::string& name, const std::string& task_id) {
        on_stuck(name, task_id);
      },
      [this](state_atom, const std::string& name, health_state state) {
        checks_.set_state(name, state, clock().now());
        publish_counts();
      },
      [this](health_atom) { return checks_.view(clock().now()); },
      [this](tracked_count_atom) { return static_cast<uint64_t>(checks_.size()); },
      [this](subscribe_atom, const caf::actor& who) { subscribers_.add(who); },
      [this](tick_atom, uint64_t generation) { on_tick(generation); },
  };
}

void health_monitor::release(retired_incarnation retired) {
  if (!retired.agent)
    return;
  auto addr = retired.agent.address();
  names_.erase(addr);
  if (retired.slot)
    retired_slots_[addr] = *retired.slot; // released once the old incarnation is gone
  else
    demonitor(retired.agent);
}

void health_monitor::on_track(const caf::actor& agent, const std::string& name,
                              const supervisor_actor& supervisor, std::optional<size_t> slot) {
  if (!agent)
    return;
  release(checks_.track(name, agent, supervisor, slot, clock().now()));
  names_[agent.address()] = name;
  monitor(agent);
  publish_counts();
  arm_timer();
}

void health_monitor::on_heartbeat(const std::string& name, uint64_t seq) {
  if (checks_.heartbeat(name, current_sender(), seq, clock().now()))
    heartbeats_metric_->inc();
  else
    stale_metric_->inc();
}

void health_monitor::on_stuck(const std::string& name, const std::string& task_id) {
  stuck_metric_->inc();
  auto last = checks_.stuck(name);
  if (!last) {
    log_->warn("task {} is stuck on unknown agent {}", task_id, name);
    return;
  }
  auto now = clock().now();
  log_->warn("task {} is stuck on agent {} (last heartbeat {} ms ago)", task_id, name,
             to_ms(now - *last));
  emit(supervision_event_kind::stuck, name, task_id);
  if (auto s = checks_.check(name, now)) {
    isolate(*s);
    publish_counts();
  }
}

void health_monitor::on_exit() {
  checks_.clear();
  names_.clear();
  subscribers_ = subscriber_list{};
  dispatcher_ = nullptr;
}

void health_monitor::on_tick(uint64_t generation) {
  if (generation != timer_generation_)
    return;
  timer_armed_ = false;
  auto& found = checks_.check_all(clock().now());
  for (auto& s : found)
    isolate(s);
  if (!found.empty())
    publish_counts();
  arm_timer();
}

void health_monitor::isolate(const suspicion& s) {
  missed_metric_->inc();
  log_->warn("agent {} is suspect: {}", s.name, s.reason);
  auto incarnation = s.agent ? s.agent.id() : 0;
  emit(supervision_event_kind::suspect, s.name, s.reason, incarnation);
  if (s.supervisor)
    send(s.supervisor, suspect_atom::value, s.agent, s.name, s.reason);
  if (dispatcher_)
    caf::unsafe_send_as(this, dispatcher_, isolate_atom::value, s.agent);
  isolations_metric_->inc();
  emit(supervision_event_kind::isolated, s.name, s.reason, incarnation);
}

void health_monitor::emit(supervision_event_kind kind, const std::string& name,
                          const std::string& detail, uint64_t actor_id) {
  if (subscribers_.all().empty())
    return;
  supervision_event event{kind, "health_monitor", name, detail, clock().now(), actor_id};
  for (auto& s : subscribers_.all())
    caf::unsafe_send_as(this, s, sup_event_atom::value, event);
}

void health_monitor::publish_counts() {
  tracked_metric_->set(static_cast<double>(checks_.size()));
  for (size_t i = 0; i < 5; ++i)
    agents_metrics_[i]->set(static_cast<double>(checks_.count(static_cast<health_state>(i))));
}

void health_monitor::arm_timer() {
  if (timer_armed_ || checks_.size() == 0)
    return;
  timer_armed_ = true;
  delayed_send(this, config_.check_interval, tick_atom::value, ++timer_generation_);
}

} // namespace herd
