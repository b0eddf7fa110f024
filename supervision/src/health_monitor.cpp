#include "herd/supervision/health_monitor.hpp"

#include <algorithm>
#include <map>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "herd/core/atoms.hpp"
#include "herd/core/logging.hpp"
#include "herd/supervision/supervision_atoms.hpp"
#include "herd/supervision/supervision_event.hpp"

namespace herd {

health_monitor::health_monitor(caf::actor_config& cfg, health_monitor_config config,
                               caf::actor dispatcher, std::shared_ptr<metrics_registry> metrics,
                               std::shared_ptr<liveness_board> board)
    : caf::event_based_actor(cfg), config_(std::move(config)), dispatcher_(std::move(dispatcher)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      log_(component_logger("health_monitor")), board_(std::move(board)) {
  auto limit = config_.heartbeat_interval * config_.max_missed - config_.check_interval;
  hang_limit_ns_ = std::max(limit, config_.check_interval).count();
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
}

caf::behavior health_monitor::make_behavior() {
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
    auto name = i->second;
    names_.erase(i);
    auto e = agents_.find(name);
    if (e != agents_.end() && e->second.handle.address() == dm.source) {
      // Its supervisor may restart it; until then it is stopped.
      if (e->second.state != health_state::restarting)
        set_state(name, e->second, health_state::stopped, clock().now());
      if (e->second.slot && board_) {
        slot_owners_[*e->second.slot] = {nullptr, nullptr};
        board_->release(*e->second.slot);
      }
      e->second.slot.reset();
      e->second.handle = nullptr;
    }
  });
  if (dispatcher_)
    send(dispatcher_, subscribe_atom::value, caf::actor{this});
  return {
      [this](track_atom, const caf::actor& agent, const std::string& name,
             const caf::actor& supervisor) { on_track(agent, name, supervisor, std::nullopt); },
      [this](track_atom, const caf::actor& agent, const std::string& name,
             const caf::actor& supervisor, uint64_t slot) {
        if (!board_ || slot >= board_->capacity()) {
          log_->error("agent {} tracked with slot {} but there is no such board slot", name, slot);
          return;
        }
        on_track(agent, name, supervisor, static_cast<size_t>(slot));
      },
      [this](untrack_atom, const std::string& name) {
        auto i = agents_.find(name);
        if (i == agents_.end())
          return;
        if (!i->second.board_watched)
          --heartbeat_entries_;
        retire(i->second);
        agents_.erase(i);
        tracked_metric_->set(static_cast<double>(agents_.size()));
      },
      [this](heartbeat_atom, const std::string& name, uint64_t seq) { on_heartbeat(name, seq); },
      [this](stuck_atom, const std::string& name, const std::string& task_id) {
        on_stuck(name, task_id);
      },
      [this](state_atom, const std::string& name, const std::string& state) {
        auto i = agents_.find(name);
        auto s = parse_health_state(state);
        if (i == agents_.end() || !s)
          return;
        set_state(name, i->second, *s, clock().now());
      },
      [this](health_atom) { return view(); },
      [this](stats_atom) { return static_cast<uint64_t>(agents_.size()); },
      [this](subscribe_atom, const caf::actor& who) { subscribers_.push_back(who); },
      [this](tick_atom, uint64_t generation) { on_tick(generation); },
  };
}

health_monitor::detector health_monitor::make_detector() const {
  if (config_.detector == "phi")
    return phi_accrual_detector{config_.phi_threshold, static_cast<size_t>(config_.max_sample_size),
                                config_.min_std_deviation, config_.acceptable_heartbeat_pause,
                                config_.first_heartbeat_estimate};
  return deadline_detector{config_.heartbeat_interval, config_.max_missed};
}

void health_monitor::retire(entry& e) {
  if (!e.handle)
    return;
  names_.erase(e.handle.address());
  if (e.slot) {
    // Keep the monitor: the slot is released once the old incarnation is gone.
    retired_slots_[e.handle.address()] = *e.slot;
    slot_owners_[*e.slot] = {nullptr, nullptr};
    e.slot.reset();
  } else {
    demonitor(e.handle);
  }
  e.handle = nullptr;
}

void health_monitor::on_track(const caf::actor& agent, const std::string& name,
                              const caf::actor& supervisor, std::optional<size_t> slot) {
  if (!agent)
    return;
  auto now = clock().now();
  auto [pos, inserted] = agents_.try_emplace(name);
  auto& e = pos->second;
  if (!inserted && !e.board_watched)
    --heartbeat_entries_;
  if (e.handle && e.handle != agent)
    retire(e);
  e.slot = slot;
  e.board_watched = slot.has_value();
  if (slot) {
    if (*slot >= slot_owners_.size())
      slot_owners_.resize(*slot + 1, {nullptr, nullptr});
    slot_owners_[*slot] = {&pos->first, &e};
  } else {
    ++heartbeat_entries_;
  }
  e.handle = agent;
  e.supervisor = supervisor;
  e.watch = make_detector();
  std::visit([now](auto& d) { d.heartbeat(now); }, e.watch);
  e.last_seq = 0;
  e.heartbeats = 0;
  names_[agent.address()] = name;
  monitor(agent);
  set_state(name, e, health_state::healthy, now);
  e.since = now;
  tracked_metric_->set(static_cast<double>(agents_.size()));
  arm_timer();
}

void health_monitor::on_heartbeat(const std::string& name, uint64_t seq) {
  auto i = agents_.find(name);
  auto sender = current_sender();
  if (i == agents_.end() || (sender && sender != i->second.handle.address())) {
    stale_metric_->inc();
    return;
  }
  auto& e = i->second;
  heartbeats_metric_->inc();
  e.last_seq = seq;
  ++e.heartbeats;
  auto now = clock().now();
  std::visit([now](auto& d) { d.heartbeat(now); }, e.watch);
}

void health_monitor::on_stuck(const std::string& name, const std::string& task_id) {
  stuck_metric_->inc();
  auto i = agents_.find(name);
  if (i == agents_.end()) {
    log_->warn("task {} is stuck on unknown agent {}", task_id, name);
    return;
  }
  auto& e = i->second;
  ++e.stuck_reports;
  auto now = clock().now();
  log_->warn("task {} is stuck on agent {} (last heartbeat {} ms ago)", task_id, name,
             to_ms(now - std::visit([](auto& d) { return d.last_heartbeat(); }, e.watch)));
  emit("stuck", name, task_id);
  check(name, e, now);
}

void health_monitor::on_exit() {
  agents_.clear();
  names_.clear();
  slot_owners_.clear();
  subscribers_.clear();
  dispatcher_ = nullptr;
}

void health_monitor::on_tick(uint64_t generation) {
  if (generation != timer_generation_)
    return;
  timer_armed_ = false;
  auto now = clock().now();
  // Board slots first: a dense scan of 8-byte stamps; only a hung one touches its entry.
  if (board_) {
    auto now_ns = now.time_since_epoch().count();
    for (size_t slot = 0; slot < slot_owners_.size(); ++slot) {
      auto [name, e] = slot_owners_[slot];
      if (e != nullptr && board_->hung(slot, now_ns, hang_limit_ns_))
        check(*name, *e, now);
    }
  }
  if (heartbeat_entries_ > 0)
    for (auto& [name, e] : agents_)
      if (!e.board_watched)
        check(name, e, now);
  arm_timer();
}

void health_monitor::check(const std::string& name, entry& e, time_point now) {
  if (e.state != health_state::healthy || !e.handle)
    return;
  std::string reason;
  if (e.slot) {
    auto now_ns = now.time_since_epoch().count();
    if (!board_->hung(*e.slot, now_ns, hang_limit_ns_))
      return;
    auto busy_ms = (now_ns - board_->busy_since(*e.slot)) / 1000000;
    reason = "busy in one handler for " + std::to_string(busy_ms) + " ms";
  } else {
    bool suspect = std::visit([now](auto& d) { return d.suspect(now); }, e.watch);
    if (!suspect)
      return;
    auto last = std::visit([](auto& d) { return d.last_heartbeat(); }, e.watch);
    reason = "no heartbeat for " + std::to_string(to_ms(now - last)) + " ms";
  }
  missed_metric_->inc();
  set_state(name, e, health_state::suspect, now);
  log_->warn("agent {} is suspect: {}", name, reason);
  emit("suspect", name, reason);
  if (e.supervisor)
    send(e.supervisor, suspect_atom::value, e.handle, name, reason);
  if (dispatcher_)
    send(dispatcher_, isolate_atom::value, e.handle);
  isolations_metric_->inc();
  set_state(name, e, health_state::isolated, now);
  emit("isolated", name, reason);
}

void health_monitor::set_state(const std::string& name, entry& e, health_state s, time_point now) {
  if (e.state == s)
    return;
  log_->debug("agent {}: {} -> {}", name, to_string(e.state), to_string(s));
  e.state = s;
  e.since = now;
}

void health_monitor::emit(const std::string& event, const std::string& name,
                          const std::string& detail) {
  if (subscribers_.empty())
    return;
  auto text = supervision_event(event, "health_monitor", name, detail, clock().now());
  for (auto& s : subscribers_)
    send(s, sup_event_atom::value, text);
}

std::string health_monitor::view() const {
  auto now = clock().now();
  // Sorted by name, so the view is stable.
  std::map<std::string, const entry*> sorted;
  for (auto& [name, e] : agents_)
    sorted.emplace(name, &e);
  auto agents = nlohmann::json::array();
  for (auto& [name, e] : sorted) {
    nlohmann::json j{{"name", name},
                     {"state", to_string(e->state)},
                     {"since_ms", to_epoch_ms(e->since)},
                     {"heartbeats", e->heartbeats},
                     {"last_seq", e->last_seq},
                     {"stuck_reports", e->stuck_reports}};
    if (e->slot && e->handle && board_) {
      auto since = board_->busy_since(*e->slot);
      j["busy_ms"] = since == 0 ? 0 : (now.time_since_epoch().count() - since) / 1000000;
    }
    std::visit(
        [&](auto& d) {
          j["last_heartbeat_ms"] = to_epoch_ms(d.last_heartbeat());
          j["silent_ms"] = to_ms(now - d.last_heartbeat());
          using d_type = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<d_type, phi_accrual_detector>) {
            j["phi"] = d.phi(now);
          } else {
            j["phi"] = nullptr;
            j["missed_intervals"] = d.missed(now);
          }
        },
        e->watch);
    agents.push_back(std::move(j));
  }
  return nlohmann::json{
      {"detector", config_.detector}, {"now_ms", to_epoch_ms(now)}, {"agents", std::move(agents)}}
      .dump();
}

void health_monitor::arm_timer() {
  if (timer_armed_ || agents_.empty())
    return;
  timer_armed_ = true;
  delayed_send(this, config_.check_interval, tick_atom::value, ++timer_generation_);
}

} // namespace herd
