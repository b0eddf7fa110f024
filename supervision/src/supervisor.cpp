#include "herd/supervision/supervisor.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "herd/core/atoms.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/error_replies.hpp"
#include "herd/core/logging.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_errc.hpp"
#include "herd/supervision/supervision_event.hpp"
#include <caf/send.hpp>

namespace herd {

namespace {

bool is_normal(const caf::error& reason) {
  return !reason || reason == caf::exit_reason::normal || reason == caf::exit_reason::user_shutdown;
}

} // namespace

supervisor::supervisor(caf::actor_config& cfg, supervisor_config config,
                       std::vector<child_spec> children, std::shared_ptr<metrics_registry> metrics,
                       health_monitor_actor health_monitor)
    : supervisor_actor::base(cfg), config_(std::move(config)), planner_(config_),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      health_monitor_(std::move(health_monitor)), log_(component_logger("supervisor")),
      live_(std::make_shared<std::vector<caf::actor>>()) {
  children_.reserve(children.size());
  for (auto& spec : children)
    add_child(std::move(spec));
  metric_labels labels{{"supervisor", config_.name}};
  restarts_metric_ = &metrics_->counter("herd_restarts_total", "Children restarted", labels);
  gave_up_metric_ = &metrics_->counter("herd_supervisor_gave_up_total",
                                       "Supervisors that exceeded their restart intensity", labels);
  abandoned_metric_ = &metrics_->counter("herd_children_abandoned_total",
                                         "Hung children abandoned and replaced", labels);
  exits_metric_ = &metrics_->counter("herd_child_exits_total", "Children that exited", labels);
  recycled_metric_ = &metrics_->counter("herd_agents_recycled_total",
                                        "Agents retired for recycling and replaced", labels);
}

supervisor::behavior_type supervisor::make_behavior() {
  // Killed (untrappable): tell the children as we go, so no subtree is orphaned.
  attach_functor([live = live_](const caf::error&) {
    for (auto& child : *live)
      if (child)
        caf::anon_send_exit(child, caf::exit_reason::user_shutdown);
  });
  set_down_handler([this](caf::down_msg& dm) { on_down(dm); });
  // A listener that drops a restart event answers with an error; quitting on it would take
  // a root supervisor's whole runtime along.
  log_error_replies(*this, log_);
  set_exit_handler([this](caf::exit_msg& em) {
    shutdown(em.reason ? em.reason : caf::make_error(caf::exit_reason::user_shutdown));
  });
  for (size_t i = 0; i < children_.size(); ++i)
    start_child(i);
  return {
      [this](suspect_atom, const caf::actor& child, const std::string&, const std::string& reason) {
        on_suspect(child, reason);
      },
      [this](restart_atom, uint64_t batch) { on_restart(batch); },
      [this](brutal_atom, const caf::actor& child) { on_brutal(child); },
      [this](subscribe_atom, const caf::actor& who) { listeners_.add(who); },
      [this](add_child_atom, child_spec& spec) {
        if (shutting_down_)
          return;
        start_child(add_child(std::move(spec)));
      },
      [this](scale_up_atom, child_spec& spec, const std::string& why) {
        if (shutting_down_)
          return;
        auto id = spec.id;
        // In the slot of an agent scaled down before: the list does not grow per scale-up.
        start_child(add_child(std::move(spec), true));
        emit(supervision_event_kind::scaled_up, id, why);
      },
      [this](scale_down_atom, const caf::actor& child, const std::string& why) {
        remove_child(child, why);
      },
      [this](children_atom) {
        std::vector<caf::actor> result;
        for (auto& c : children_)
          result.push_back(c.handle);
        return result;
      },
  };
}

void supervisor::on_exit() {
  planner_.clear();
  children_.clear();
  slots_.clear();
  listeners_ = subscriber_list{};
  stopping_.clear();
  abandoned_.clear();
  health_monitor_ = nullptr;
}

size_t supervisor::add_child(child_spec spec, bool reuse_free_slot) {
  auto i = reuse_free_slot ? planner_.reuse_or_add(std::move(spec)) : planner_.add(std::move(spec));
  if (i == children_.size()) {
    children_.emplace_back();
    live_->emplace_back();
  } else {
    children_[i] = {};
  }
  return i;
}

void supervisor::start_child(size_t i) {
  auto& spec = planner_.spec(i);
  auto& c = children_[i];
  caf::actor h;
  try {
    h = spec.start(system());
  } catch (const std::exception& e) {
    log_->error("{}: starting child {} threw: {}", config_.name, spec.id, e.what());
  }
  if (!h) {
    log_->error("{}: child {} failed to start", config_.name, spec.id);
    on_failure(i, caf::make_error(supervision_errc::start_failed, spec.id), true);
    return;
  }
  monitor(h);
  set_handle(i, h);
  auto restarted = planner_.started(i);
  if (spec.heartbeats && health_monitor_) {
    auto slot = spec.board_slot ? spec.board_slot(h) : std::nullopt;
    if (slot)
      send(health_monitor_, track_atom::value, h, spec.id, caf::actor_cast<supervisor_actor>(this),
           *slot);
    else
      send(health_monitor_, track_atom::value, h, spec.id, caf::actor_cast<supervisor_actor>(this));
  }
  if (restarted) {
    for (auto& l : listeners_.all())
      caf::unsafe_send_as(this, l, restarted_atom::value, spec.id, c.previous, h);
    emit(supervision_event_kind::restarted, spec.id, "");
  }
  log_->debug("{}: started child {}", config_.name, spec.id);
  c.previous = nullptr;
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
  auto& id = planner_.spec(*i).id;
  if (dm.reason == errc::recycled) {
    // It finished its leases and retired: a fresh incarnation now, no backoff, no intensity.
    recycled_metric_->inc();
    log_->info("{}: child {} recycled: {}", config_.name, id, to_string(dm.reason));
    emit(supervision_event_kind::recycled, id, to_string(dm.reason));
    children_[*i].previous = children_[*i].handle;
    set_handle(*i, nullptr);
    start_child(*i);
    return;
  }
  exits_metric_->inc();
  auto abnormal = !is_normal(dm.reason);
  log_->log(abnormal ? spdlog::level::warn : spdlog::level::info, "{}: child {} exited: {}",
            config_.name, id, to_string(dm.reason));
  emit(supervision_event_kind::exited, id, to_string(dm.reason));
  on_failure(*i, dm.reason, abnormal);
}

void supervisor::remove_child(const caf::actor& child, const std::string& why) {
  if (!child || shutting_down_)
    return;
  auto i = slot_of(child.address());
  if (!i)
    return; // gone already (crashed and replaced: the replacement stays)
  auto& spec = planner_.spec(*i);
  log_->info("{}: child {} removed: {}", config_.name, spec.id, why);
  if (spec.heartbeats && health_monitor_)
    send(health_monitor_, untrack_atom::value, spec.id);
  stop_incarnation(*i);
  planner_.stop(*i);
  emit(supervision_event_kind::scaled_down, spec.id, why);
}

void supervisor::on_failure(size_t i, const caf::error& reason, bool abnormal) {
  auto& c = children_[i];
  if (c.handle)
    c.previous = c.handle;
  set_handle(i, nullptr);
  auto plan = planner_.failed(i, abnormal, clock().now());
  auto& spec = planner_.spec(i);
  switch (plan.what) {
  case restart_plan::decision::not_restarted:
    log_->info("{}: child {} ({}) is not restarted", config_.name, spec.id,
               to_string(spec.restart));
    tell_monitor(i, health_state::stopped);
    return;
  case restart_plan::decision::give_up:
    gave_up_metric_->inc();
    log_->error("{}: more than {} restarts within {} ms (last: child {}, {}); giving up",
                config_.name, config_.max_restarts, to_ms(config_.period), spec.id,
                to_string(reason));
    emit(supervision_event_kind::gave_up, spec.id, to_string(reason));
    shutdown(caf::make_error(supervision_errc::intensity_exceeded, config_.name));
    return;
  case restart_plan::decision::restart:
    break;
  }
  for (auto j : plan.stop)
    stop_incarnation(j);
  std::string ids;
  for (auto j : plan.restart) {
    tell_monitor(j, health_state::restarting);
    ids += (ids.empty() ? "" : ",") + planner_.spec(j).id;
  }
  restarts_metric_->inc();
  log_->info("{}: restarting [{}] in {} ms (child {} failed: {})", config_.name, ids,
             to_ms(plan.delay), spec.id, to_string(reason));
  emit(supervision_event_kind::restarting, spec.id,
       ids + " in " + std::to_string(to_ms(plan.delay)) + " ms");
  delayed_send(this, plan.delay, restart_atom::value, plan.batch);
}

void supervisor::on_suspect(const caf::actor& child, const std::string& reason) {
  if (!child)
    return;
  auto i = slot_of(child.address());
  if (!i)
    return; // an old incarnation, already replaced
  auto& c = children_[*i];
  auto& spec = planner_.spec(*i);
  abandoned_metric_->inc();
  log_->warn("{}: child {} is hung ({}); abandoning it", config_.name, spec.id, reason);
  emit(supervision_event_kind::abandoned, spec.id, reason);
  // The hung incarnation processes its exit only when its handler returns; kill it later.
  c.previous = child;
  set_handle(*i, nullptr);
  abandoned_.emplace(child.address(), child);
  send_exit(child, caf::exit_reason::user_shutdown);
  if (spec.shutdown_timeout.count() > 0)
    delayed_send(this, spec.shutdown_timeout, brutal_atom::value, child);
  else
    on_brutal(child);
  on_failure(*i, caf::make_error(supervision_errc::child_hung, spec.id), true);
}

void supervisor::on_restart(uint64_t batch) {
  if (shutting_down_)
    return;
  for (size_t i = 0; i < children_.size(); ++i)
    if (planner_.due(i, batch))
      start_child(i);
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

void supervisor::stop_incarnation(size_t i) {
  auto& c = children_[i];
  if (c.handle) {
    c.previous = c.handle;
    stop_handle(c.handle, planner_.spec(i).shutdown_timeout);
  }
  set_handle(i, nullptr);
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
  for (size_t k = children_.size(); k-- > 0;) {
    if (planner_.status(k) != child_status::stopped)
      tell_monitor(k, health_state::stopped);
    stop_incarnation(k);
    planner_.stop(k);
  }
  maybe_quit();
}

void supervisor::maybe_quit() {
  if (shutting_down_ && stopping_.empty())
    quit(exit_reason_);
}

void supervisor::tell_monitor(size_t i, health_state state) {
  auto& spec = planner_.spec(i);
  if (spec.heartbeats && health_monitor_)
    send(health_monitor_, state_atom::value, spec.id, state);
}

void supervisor::emit(supervision_event_kind kind, const std::string& child,
                      const std::string& detail) {
  if (listeners_.all().empty())
    return;
  supervision_event event{kind, config_.name, child, detail, clock().now()};
  for (auto& l : listeners_.all())
    caf::unsafe_send_as(this, l, sup_event_atom::value, event);
}

void supervisor::set_handle(size_t i, caf::actor h) {
  // O(1) per start and exit: a fleet of many children starts in linear time.
  auto& c = children_[i];
  if (c.handle)
    slots_.erase(c.handle.address());
  if (h)
    slots_[h.address()] = i;
  (*live_)[i] = h;
  c.handle = std::move(h);
}

std::optional<size_t> supervisor::slot_of(const caf::actor_addr& addr) const {
  auto i = slots_.find(addr);
  return i == slots_.end() ? std::nullopt : std::optional<size_t>{i->second};
}

} // namespace herd
