#include "herd/supervision/health_checks.hpp"

#include <algorithm>

namespace herd {

health_checks::health_checks(health_monitor_config config, std::shared_ptr<liveness_board> board)
    : config_(std::move(config)), board_(std::move(board)) {
  auto limit = config_.heartbeat_interval * config_.max_missed - config_.check_interval;
  hang_limit_ns_ = std::max(limit, config_.check_interval).count();
}

health_checks::detector health_checks::make_detector() const {
  if (config_.detector == failure_detector_kind::phi)
    return phi_accrual_detector{config_.phi_threshold, static_cast<size_t>(config_.max_sample_size),
                                config_.min_std_deviation, config_.acceptable_heartbeat_pause,
                                config_.first_heartbeat_estimate};
  return deadline_detector{config_.heartbeat_interval, config_.max_missed};
}

retired_incarnation health_checks::retire(entry& e) {
  retired_incarnation result{std::move(e.handle), std::nullopt};
  e.handle = nullptr;
  if (e.slot) {
    slot_owners_[*e.slot] = {nullptr, nullptr};
    result.slot = e.slot;
    e.slot.reset();
  }
  return result;
}

retired_incarnation health_checks::track(const std::string& name, caf::actor agent,
                                         supervisor_actor supervisor, std::optional<size_t> slot,
                                         time_point now) {
  auto [pos, inserted] = agents_.try_emplace(name);
  auto& e = pos->second;
  if (inserted)
    ++by_state_[static_cast<size_t>(e.state)];
  if (!inserted && !e.board_watched)
    --heartbeat_entries_;
  retired_incarnation retired;
  if (e.handle && e.handle != agent)
    retired = retire(e);
  e.slot = slot;
  e.board_watched = slot.has_value();
  if (slot) {
    if (*slot >= slot_owners_.size())
      slot_owners_.resize(*slot + 1, {nullptr, nullptr});
    slot_owners_[*slot] = {&pos->first, &e};
  } else {
    ++heartbeat_entries_;
  }
  e.handle = std::move(agent);
  e.supervisor = std::move(supervisor);
  e.alive = true;
  e.watch = make_detector();
  std::visit([now](auto& d) { d.heartbeat(now); }, e.watch);
  e.last_seq = 0;
  e.heartbeats = 0;
  change_state(e, health_state::healthy, now);
  e.since = now;
  return retired;
}

retired_incarnation health_checks::untrack(const std::string& name) {
  auto i = agents_.find(name);
  if (i == agents_.end())
    return {};
  if (!i->second.board_watched)
    --heartbeat_entries_;
  auto retired = retire(i->second);
  --by_state_[static_cast<size_t>(i->second.state)];
  agents_.erase(i);
  return retired;
}

std::optional<size_t> health_checks::gone(const std::string& name, const caf::actor_addr& agent,
                                          time_point now) {
  auto i = agents_.find(name);
  if (i == agents_.end() || i->second.handle.address() != agent)
    return std::nullopt;
  auto& e = i->second;
  // Its supervisor may restart it; until then it is stopped.
  if (e.state != health_state::restarting)
    change_state(e, health_state::stopped, now);
  auto slot = e.slot;
  if (slot)
    slot_owners_[*slot] = {nullptr, nullptr};
  e.slot.reset();
  e.handle = nullptr;
  e.alive = false;
  return slot;
}

bool health_checks::heartbeat(const std::string& name, const caf::strong_actor_ptr& sender,
                              uint64_t seq, time_point now) {
  auto i = agents_.find(name);
  if (i == agents_.end() || (sender && sender != i->second.handle.address()))
    return false;
  auto& e = i->second;
  e.last_seq = seq;
  ++e.heartbeats;
  std::visit([now](auto& d) { d.heartbeat(now); }, e.watch);
  return true;
}

std::optional<time_point> health_checks::stuck(const std::string& name) {
  auto i = agents_.find(name);
  if (i == agents_.end())
    return std::nullopt;
  ++i->second.stuck_reports;
  return std::visit([](auto& d) { return d.last_heartbeat(); }, i->second.watch);
}

void health_checks::set_state(const std::string& name, health_state state, time_point now) {
  auto i = agents_.find(name);
  if (i != agents_.end())
    change_state(i->second, state, now);
}

const std::vector<suspicion>& health_checks::check_all(time_point now) {
  found_.clear();
  // Board slots first: a dense scan of 8-byte stamps; only a hung slot reads its owner and entry
  // (reading the 16-byte owner of every slot would triple the memory each check walks).
  if (board_) {
    auto now_ns = now.time_since_epoch().count();
    for (size_t slot = 0; slot < slot_owners_.size(); ++slot) {
      if (!board_->hung(slot, now_ns, hang_limit_ns_))
        continue;
      auto [name, e] = slot_owners_[slot];
      if (e != nullptr)
        suspect(*name, *e, now);
    }
  }
  if (heartbeat_entries_ > 0)
    for (auto& [name, e] : agents_)
      if (!e.board_watched)
        suspect(name, e, now);
  return found_;
}

std::optional<suspicion> health_checks::check(const std::string& name, time_point now) {
  auto i = agents_.find(name);
  found_.clear();
  if (i == agents_.end() || !suspect(i->first, i->second, now))
    return std::nullopt;
  return std::move(found_.back());
}

bool health_checks::suspect(const std::string& name, entry& e, time_point now) {
  if (e.state != health_state::healthy || !e.alive)
    return false;
  std::string reason;
  if (e.slot) {
    auto now_ns = now.time_since_epoch().count();
    if (!board_->hung(*e.slot, now_ns, hang_limit_ns_))
      return false;
    auto busy_ms = (now_ns - board_->busy_since(*e.slot)) / 1000000;
    reason = "busy in one handler for " + std::to_string(busy_ms) + " ms";
  } else {
    bool suspected = std::visit([now](auto& d) { return d.suspect(now); }, e.watch);
    if (!suspected)
      return false;
    auto last = std::visit([](auto& d) { return d.last_heartbeat(); }, e.watch);
    reason = "no heartbeat for " + std::to_string(to_ms(now - last)) + " ms";
  }
  // Suspect, and isolated at once: the dispatcher no longer leases to it.
  change_state(e, health_state::isolated, now);
  found_.push_back(suspicion{name, e.handle, e.supervisor, std::move(reason)});
  return true;
}

void health_checks::change_state(entry& e, health_state s, time_point now) {
  if (e.state == s)
    return;
  --by_state_[static_cast<size_t>(e.state)];
  ++by_state_[static_cast<size_t>(s)];
  e.state = s;
  e.since = now;
}

std::optional<health_state> health_checks::state_of(const std::string& name) const {
  auto i = agents_.find(name);
  if (i == agents_.end())
    return std::nullopt;
  return i->second.state;
}

health_view health_checks::view(time_point now) const {
  health_view result;
  result.detector = config_.detector;
  result.now = now;
  result.agents.reserve(agents_.size());
  for (auto& [name, e] : agents_) {
    agent_health a;
    a.name = name;
    a.state = e.state;
    a.since = e.since;
    a.heartbeats = e.heartbeats;
    a.last_seq = e.last_seq;
    a.stuck_reports = e.stuck_reports;
    if (e.slot && e.alive && board_) {
      auto since = board_->busy_since(*e.slot);
      a.board_watched = true;
      a.busy = since == 0 ? duration{0} : duration{now.time_since_epoch().count() - since};
      // The board, not heartbeat messages, says it lives: an idle agent answers at once, a
      // busy one has been silent as long as its handler runs.
      a.last_heartbeat = now - a.busy;
      a.silent = a.busy;
      if (config_.detector == failure_detector_kind::deadline)
        a.missed_intervals = static_cast<double>(a.busy.count()) /
                             static_cast<double>(config_.heartbeat_interval.count());
      result.agents.push_back(std::move(a));
      continue;
    }
    std::visit(
        [&](auto& d) {
          a.last_heartbeat = d.last_heartbeat();
          a.silent = now - d.last_heartbeat();
          using d_type = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<d_type, phi_accrual_detector>)
            a.phi = d.phi(now);
          else
            a.missed_intervals = d.missed(now);
        },
        e.watch);
    result.agents.push_back(std::move(a));
  }
  // Sorted by name, so the view is stable.
  std::sort(result.agents.begin(), result.agents.end(),
            [](const agent_health& x, const agent_health& y) { return x.name < y.name; });
  return result;
}

void health_checks::clear() {
  agents_.clear();
  slot_owners_.clear();
  found_.clear();
  heartbeat_entries_ = 0;
  by_state_ = {};
}

} // namespace herd
