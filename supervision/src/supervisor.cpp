#include "herd/supervision/supervisor.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "herd/core/atoms.hpp"
#include "herd/core/logging.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_errc.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "send_untyped.hpp"

namespace herd {

namespace {

bool is_normal(const caf::error& reason) {
  return !reason || reason == caf::exit_reason::normal || reason == caf::exit_reason::user_shutdown;
}

} // namespace

supervisor::supervisor(caf::actor_config& cfg, supervisor_config config,
                       std::vector<child_spec> children, std::shared_ptr<metrics_registry> metrics,
                       health_monitor_actor health_monitor)
    : supervisor_actor::base(cfg), config_(std::move(config)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      health_monitor_(std::move(health_monitor)), log_(component_logger("supervisor")),
      intensity_(config_.max_restarts, config_.period),
      live_(std::make_shared<std::vector<caf::actor>>()) {
  slots_.reserve(children.size());
  for (auto& spec : children)
    add_slot(std::move(spec));
  metric_labels labels{{"supervisor", config_.name}};
  restarts_metric_ = &metrics_->counter("herd_restarts_total", "Children restarted", labels);
  gave_up_metric_ = &metrics_->counter("herd_supervisor_gave_up_total",
                                       "Supervisors that exceeded their restart intensity", labels);
  abandoned_metric_ = &metrics_->counter("herd_children_abandoned_total",
                                         "Hung children abandoned and replaced", labels);
  exits_metric_ = &metrics_->counter("herd_child_exits_total", "Children that exited", labels);
}

supervisor::behavior_type supervisor::make_behavior() {
  // Killed (untrappable): tell the children as we go, so no subtree is orphaned.
  attach_functor([live = live_](const caf::error&) {
    for (auto& child : *live)
      caf::anon_send_exit(child, caf::exit_reason::user_shutdown);
  });
  set_down_handler([this](caf::down_msg& dm) { on_down(dm); });
  set_exit_handler([this](caf::exit_msg& em) {
    shutdown(em.reason ? em.reason : caf::make_error(caf::exit_reason::user_shutdown));
  });
  for (size_t i = 0; i < slots_.size(); ++i)
    start_slot(i);
  return {
      [this](suspect_atom, const caf::actor& child, const std::string&, const std::string& reason) {
        on_suspect(child, reason);
      },
      [this](restart_atom, uint64_t batch) { on_restart(batch); },
      [this](brutal_atom, const caf::actor& child) { on_brutal(child); },
      [this](subscribe_atom, const caf::actor& who) { listeners_.push_back(who); },
      [this](add_child_atom, child_spec& spec) {
        if (shutting_down_)
          return;
        add_slot(std::move(spec));
        start_slot(slots_.size() - 1);
      },
      [this](children_atom) {
        std::vector<caf::actor> result;
        for (auto& s : slots_)
          result.push_back(s.handle);
        return result;
      },
  };
}

void supervisor::on_exit() {
  slots_.clear();
  listeners_.clear();
  stopping_.clear();
  abandoned_.clear();
  health_monitor_ = nullptr;
}

void supervisor::add_slot(child_spec spec) {
  restart_backoff backoff{config_.min_backoff, config_.max_backoff, config_.random_factor,
                          config_.reset_after, config_.seed + slots_.size()};
  slots_.push_back(slot{std::move(spec), std::move(backoff), {}, {}});
}

void supervisor::start_slot(size_t i) {
  auto& s = slots_[i];
  caf::actor h;
  try {
    h = s.spec.start(system());
  } catch (const std::exception& e) {
    log_->error("{}: starting child {} threw: {}", config_.name, s.spec.id, e.what());
  }
  if (!h) {
    log_->error("{}: child {} failed to start", config_.name, s.spec.id);
    s.state = slot_state::running; // so that on_failure treats it as a failed incarnation
    on_failure(i, caf::make_error(supervision_errc::start_failed, s.spec.id), true);
    return;
  }
  monitor(h);
  s.handle = h;
  s.state = slot_state::running;
  s.batch = 0;
  if (s.spec.heartbeats && health_monitor_) {
    auto slot = s.spec.board_slot ? s.spec.board_slot(h) : std::nullopt;
    if (slot)
      send(health_monitor_, track_atom::value, h, s.spec.id, caf::actor_cast<caf::actor>(this),
           *slot);
    else
      send(health_monitor_, track_atom::value, h, s.spec.id, caf::actor_cast<caf::actor>(this));
  }
  if (s.started_once) {
    for (auto& l : listeners_)
      send_untyped(this, l, restarted_atom::value, s.spec.id, s.previous, h);
    emit(supervision_event_kind::restarted, s.spec.id, "");
  }
  log_->debug("{}: started child {}", config_.name, s.spec.id);
  s.previous = nullptr;
  s.started_once = true;
  refresh_live();
}

void supervisor::on_down(const caf::down_msg& dm) {
  if (auto i = stopping_.find(dm.source); i != stopping_.end()) {
    stopping_.erase(i);
    maybe_quit();
    return;
  }
  if (abandoned_.count(dm.source) > 0) {
    abandoned_.erase(dm.source);
    return;
  }
  auto i = slot_of(dm.source);
  if (!i || shutting_down_)
    return;
  exits_metric_->inc();
  auto& s = slots_[*i];
  auto abnormal = !is_normal(dm.reason);
  log_->log(abnormal ? spdlog::level::warn : spdlog::level::info, "{}: child {} exited: {}",
            config_.name, s.spec.id, to_string(dm.reason));
  emit(supervision_event_kind::exited, s.spec.id, to_string(dm.reason));
  on_failure(*i, dm.reason, abnormal);
}

void supervisor::on_failure(size_t i, const caf::error& reason, bool abnormal) {
  auto& s = slots_[i];
  if (s.handle)
    s.previous = s.handle;
  s.handle = nullptr;
  s.state = slot_state::stopped;
  refresh_live();
  auto restart = s.spec.restart == restart_type::permanent ||
                 (s.spec.restart == restart_type::transient && abnormal);
  if (!restart) {
    log_->info("{}: child {} ({}) is not restarted", config_.name, s.spec.id,
               to_string(s.spec.restart));
    tell_monitor(i, health_state::stopped);
    return;
  }
  auto now = clock().now();
  if (!intensity_.record(now)) {
    gave_up_metric_->inc();
    log_->error("{}: more than {} restarts within {} ms (last: child {}, {}); giving up",
                config_.name, config_.max_restarts, to_ms(config_.period), s.spec.id,
                to_string(reason));
    emit(supervision_event_kind::gave_up, s.spec.id, to_string(reason));
    shutdown(caf::make_error(supervision_errc::intensity_exceeded, config_.name));
    return;
  }
  // The group that restarts with the failed child, in spec order.
  std::vector<size_t> group;
  switch (config_.strategy) {
  case restart_strategy::one_for_one:
    group.push_back(i);
    break;
  case restart_strategy::one_for_all:
    for (size_t j = 0; j < slots_.size(); ++j)
      group.push_back(j);
    break;
  case restart_strategy::rest_for_one:
    for (size_t j = i; j < slots_.size(); ++j)
      group.push_back(j);
    break;
  }
  // Stop the running siblings in reverse order; temporary ones are not restarted, and a child
  // that is already stopped stays stopped.
  std::vector<size_t> restarting;
  for (auto j = group.rbegin(); j != group.rend(); ++j) {
    auto& sib = slots_[*j];
    if (*j == i) {
      restarting.push_back(*j);
      continue;
    }
    if (sib.state == slot_state::running) {
      stop_child(*j);
      if (sib.spec.restart != restart_type::temporary)
        restarting.push_back(*j);
    } else if (sib.state == slot_state::waiting) {
      restarting.push_back(*j);
    }
  }
  std::reverse(restarting.begin(), restarting.end());
  auto delay = s.backoff.next(now);
  auto batch = ++next_batch_;
  std::string ids;
  for (auto j : restarting) {
    slots_[j].state = slot_state::waiting;
    slots_[j].batch = batch;
    tell_monitor(j, health_state::restarting);
    ids += (ids.empty() ? "" : ",") + slots_[j].spec.id;
  }
  restarts_metric_->inc();
  log_->info("{}: restarting [{}] in {} ms (child {} failed: {})", config_.name, ids, to_ms(delay),
             s.spec.id, to_string(reason));
  emit(supervision_event_kind::restarting, s.spec.id,
       ids + " in " + std::to_string(to_ms(delay)) + " ms");
  delayed_send(this, delay, restart_atom::value, batch);
}

void supervisor::on_suspect(const caf::actor& child, const std::string& reason) {
  if (!child)
    return;
  auto i = slot_of(child.address());
  if (!i)
    return; // an old incarnation, already replaced
  auto& s = slots_[*i];
  abandoned_metric_->inc();
  log_->warn("{}: child {} is hung ({}); abandoning it", config_.name, s.spec.id, reason);
  emit(supervision_event_kind::abandoned, s.spec.id, reason);
  // The hung incarnation processes its exit only when its handler returns; kill it later.
  s.previous = child;
  s.handle = nullptr;
  abandoned_.emplace(child.address(), child);
  send_exit(child, caf::exit_reason::user_shutdown);
  if (s.spec.shutdown_timeout.count() > 0)
    delayed_send(this, s.spec.shutdown_timeout, brutal_atom::value, child);
  else
    on_brutal(child);
  on_failure(*i, caf::make_error(supervision_errc::child_hung, s.spec.id), true);
}

void supervisor::on_restart(uint64_t batch) {
  if (shutting_down_)
    return;
  for (size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].batch == batch && slots_[i].state == slot_state::waiting)
      start_slot(i);
}

void supervisor::on_brutal(const caf::actor& child) {
  auto addr = child.address();
  if (abandoned_.erase(addr) > 0) {
    send_exit(child, caf::exit_reason::kill);
    return;
  }
  if (stopping_.erase(addr) > 0) {
    log_->warn("{}: a child did not stop within its shutdown timeout; killing it", config_.name);
    send_exit(child, caf::exit_reason::kill);
    maybe_quit();
  }
}

void supervisor::stop_child(size_t i) {
  auto& s = slots_[i];
  if (s.handle) {
    s.previous = s.handle;
    stop_handle(s.handle, s.spec.shutdown_timeout);
  }
  s.handle = nullptr;
  s.state = slot_state::stopped;
  s.batch = 0;
  refresh_live();
}

void supervisor::stop_handle(const caf::actor& h, duration timeout) {
  stopping_.emplace(h.address(), h);
  if (timeout.count() == 0) {
    send_exit(h, caf::exit_reason::kill);
    return;
  }
  send_exit(h, caf::exit_reason::user_shutdown);
  delayed_send(this, timeout, brutal_atom::value, h);
}

void supervisor::shutdown(caf::error reason) {
  if (shutting_down_)
    return;
  shutting_down_ = true;
  exit_reason_ = std::move(reason);
  for (size_t k = slots_.size(); k-- > 0;) {
    if (slots_[k].state != slot_state::stopped)
      tell_monitor(k, health_state::stopped);
    stop_child(k);
  }
  maybe_quit();
}

void supervisor::maybe_quit() {
  if (shutting_down_ && stopping_.empty())
    quit(exit_reason_);
}

void supervisor::tell_monitor(size_t i, health_state state) {
  auto& s = slots_[i];
  if (s.spec.heartbeats && health_monitor_)
    send(health_monitor_, state_atom::value, s.spec.id, state);
}

void supervisor::emit(supervision_event_kind kind, const std::string& child,
                      const std::string& detail) {
  if (listeners_.empty())
    return;
  supervision_event event{kind, config_.name, child, detail, clock().now()};
  for (auto& l : listeners_)
    send_untyped(this, l, sup_event_atom::value, event);
}

void supervisor::refresh_live() {
  live_->clear();
  for (auto& s : slots_)
    if (s.handle)
      live_->push_back(s.handle);
}

std::optional<size_t> supervisor::slot_of(const caf::actor_addr& addr) const {
  for (size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].handle && slots_[i].handle.address() == addr)
      return i;
  return std::nullopt;
}

} // namespace herd
