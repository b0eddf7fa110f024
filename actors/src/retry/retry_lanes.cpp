#include "herd/retry/retry_lanes.hpp"

#include <algorithm>

#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/degradation/fallback_router.hpp"

namespace herd {

namespace {

// Timer-queue keys with this bit set wake a lane (the low bits are its index); the others
// are pending retries.
constexpr uint64_t wake_bit = uint64_t{1} << 63;
// Keys with this bit set are parked tasks (`parked_`); wake_bit is never set with it.
constexpr uint64_t park_bit = uint64_t{1} << 62;

bool holds_retries(breaker_state x) {
  return x == breaker_state::open || x == breaker_state::forced_open;
}

} // namespace

retry_lanes::retry_lanes(retry_scheduler_config config,
                         std::map<std::string, failure_policy> policies,
                         std::shared_ptr<metrics_registry> metrics, std::string fallback_policy,
                         fallback_config fallbacks)
    : config_(config), policies_(std::move(policies)), fallback_policy_(std::move(fallback_policy)),
      fallbacks_(std::move(fallbacks)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      planner_(config.spread, config.seed, static_cast<size_t>(config.backoff_memory)) {
  queue_depth_ = &metrics_->gauge("herd_retry_queue_depth",
                                  "Retries waiting for their due time in the timer queue");
  held_total_ = &metrics_->gauge("herd_retry_held",
                                 "Due retries held back (breaker open, budget spent, pacing)");
}

const std::string& retry_lanes::service_of(const task& t) {
  const auto& failed = t.last_failure().service;
  return failed.empty() ? t.service : failed;
}

// -- what the scheduler is told -------------------------------------------------------------

void retry_lanes::attempt_failed(task t, time_point now) {
  const auto& why = t.last_failure();
  const auto& policy = policy_for(t.kind);
  auto& l = lane_of(service_of(t), now);
  // Only a failure the policy retries says the service struggles: a non-retryable one (a bad
  // request) costs no budget and does not slow the pacer.
  auto retryable = policy.retries(why.category);
  if (config_.budget_enabled && retryable)
    l.budget.on_failure();
  // A failed retry (attempt >= 2) tells the pacer the service fails what it is sent; first
  // attempts were not paced, and a circuit_open failure never reached the service.
  if (config_.pacing_enabled && retryable && t.attempt >= 2 &&
      why.category != failure_category::circuit_open)
    l.pacer.on_failure(now);
  if (auto chain = fallbacks_.chain_for(t.kind); chain != nullptr && t.route.on_chain()) {
    auto lane_index = l.index; // advance may add lanes
    auto position = fallback_router::tier_index(*chain, t.route.tier);
    if (position && why.reason == "admission_queue_full") {
      // The call was never made: not an attempt, and the tier is busy until its queue drains.
      auto until = now + std::max(why.retry_after, duration{1});
      advance(std::move(t), *chain, *position, false, now, until);
    } else {
      advance(std::move(t), *chain, position.value_or(0), position.has_value(), now);
    }
    publish(lanes_[lane_index]);
    publish_ages(now);
    arm(now);
    return;
  }
  auto verdict = planner_.decide(policy, t, now);
  schedule(std::move(t), std::move(verdict), l, now);
}

void retry_lanes::schedule(task t, retry_decision verdict, lane& l, time_point now) {
  if (verdict.action == retry_action::retry &&
      static_cast<int64_t>(pending_.size()) >= config_.max_pending) {
    verdict.action = retry_action::dead_letter;
    verdict.reason = dead_letter_reason::budget_exhausted;
    verdict.why = "the retry scheduler already holds max_pending (" +
                  std::to_string(config_.max_pending) + ") retries";
  }
  if (verdict.action != retry_action::retry) {
    end(std::move(t), std::move(verdict));
    publish(l);
    publish_ages(now);
    return;
  }
  counters_for(t.kind, l.service).scheduled->inc();
  auto key = next_key_++;
  auto started = first_attempt_start(t, now);
  l.starts.insert(started);
  pending_.emplace(key, pending_retry{std::move(t), l.index, started});
  queue_.push(verdict.due, key);
  publish(l);
  publish_ages(now);
  arm(now);
}

// -- fallback chains ------------------------------------------------------------------------

void retry_lanes::route(task t, time_point now) {
  auto chain = fallbacks_.chain_for(t.kind);
  if (chain == nullptr) {
    actions_.resubmit.push_back(std::move(t));
    return;
  }
  t.route = tier_route{}; // a new run: its history (of a replay) holds no attempt of it
  advance(std::move(t), *chain, 0, false, now);
  publish_ages(now);
  arm(now);
}

void retry_lanes::know_service(const std::string& service) {
  known_services_.insert(service);
}

std::vector<chain_planner::availability>
retry_lanes::availability(const fallback_chain& chain) const {
  std::vector<chain_planner::availability> result(chain.tiers.size());
  for (size_t i = 0; i < chain.tiers.size(); ++i) {
    const auto& tier = chain.tiers[i];
    if (tier.kind != tier_kind::service)
      continue;
    auto l = find_lane(tier.target);
    if (l != nullptr && holds_retries(l->breaker)) {
      result[i].available = false;
      result[i].back_at = l->probe_at;
    }
  }
  return result;
}

void retry_lanes::advance(task t, const fallback_chain& chain, size_t position, bool failed,
                          time_point now, std::optional<time_point> full_until) {
  const auto& policy = policy_for(t.kind);
  // A task not on a tier yet (just routed, or parked before its first try) has made no
  // attempt in this run.
  auto fresh = !failed && t.route.tier.empty();
  auto planner = fallback_router::planner_for(chain, policy, t, position, failed, fresh);
  if (failed)
    planner.on_failure(t.last_failure());
  auto tiers = availability(chain);
  if (full_until && position < tiers.size()) {
    tiers[position].available = false;
    tiers[position].back_at = std::max(tiers[position].back_at, *full_until);
  }
  for (;;) {
    auto step = planner.next(now, tiers);
    switch (step.action) {
    case chain_action::skip:
      chain_counter("herd_fallback_skips_total",
                    "Fallback tiers passed without a call (breaker open, admission queue full), by "
                    "kind and tier",
                    {{"kind", t.kind}, {"tier", chain.tiers[step.tier].label}})
          .inc();
      continue;
    case chain_action::park: {
      chain_counter("herd_fallback_parks_total",
                    "Tasks parked until a tier of their fallback chain may be back, by kind",
                    {{"kind", t.kind}})
          .inc();
      auto key = park_bit | next_key_++;
      parked_.emplace(key, parked_task{std::move(t), step.tier});
      queue_.push(step.until, key);
      return;
    }
    case chain_action::give_up:
    case chain_action::done:
      give_up(std::move(t), step, policy, now);
      return;
    case chain_action::try_tier:
      break;
    }
    const auto& tier = chain.tiers[step.tier];
    if (tier.kind == tier_kind::service && known_services_.count(tier.target) == 0) {
      chain_counter("herd_fallback_gave_up_total",
                    "Tasks whose fallback chain gave up, by kind and reason",
                    {{"kind", t.kind}, {"reason", "unknown_service"}})
          .inc();
      retry_decision verdict;
      verdict.action = policy.on_non_retryable == terminal_action::escalate
                           ? retry_action::escalate
                           : retry_action::dead_letter;
      verdict.reason = dead_letter_reason::non_retryable;
      verdict.why = "fallback tier " + std::to_string(step.tier) + " (" + tier.label +
                    ") names service \"" + tier.target +
                    "\", which this runtime does not have: configure it under \"services\" or "
                    "add it with add_service before tasks of kind \"" +
                    t.kind + "\" reach it";
      fallback_router::leave(t);
      end(std::move(t), std::move(verdict));
      return;
    }
    fallback_router::place(t, chain, step.tier);
    if (tier.kind == tier_kind::human) {
      chain_counter("herd_fallback_served_total",
                    "Tasks served by each tier of their fallback chain, by kind and tier (a "
                    "human tier counts at the hand-off)",
                    {{"kind", t.kind}, {"tier", tier.label}})
          .inc();
      if (step.tier > 0)
        chain_counter("herd_fallback_degraded_total",
                      "Tasks served by a tier other than their chain's first, by kind",
                      {{"kind", t.kind}})
            .inc();
      retry_decision verdict;
      verdict.action = retry_action::escalate;
      verdict.why = step.why + ": handed to a person" +
                    (t.history.empty() ? "" : "; " + retry_planner::describe(t));
      // Not an exhausted task: ended without end()'s exhausted count.
      planner_.forget(t.id);
      actions_.ended.emplace_back(std::move(t), std::move(verdict));
      return;
    }
    if (step.retry) {
      // The same tier again: after the policy's backoff, through the service's lane.
      auto verdict = planner_.decide(policy, t, now);
      if (verdict.action != retry_action::retry)
        fallback_router::leave(t);
      auto& l = lane_of(service_of(t), now);
      schedule(std::move(t), std::move(verdict), l, now);
      return;
    }
    t.attempt = planner.attempts_used();
    actions_.resubmit.push_back(std::move(t));
    return;
  }
}

void retry_lanes::give_up(task t, const chain_step& step, const failure_policy& policy,
                          time_point now) {
  chain_counter("herd_fallback_gave_up_total",
                "Tasks whose fallback chain gave up, by kind and reason",
                {{"kind", t.kind}, {"reason", to_string(step.end)}})
      .inc();
  retry_decision verdict;
  if (step.end == chain_end::not_retryable) {
    // A failure the chain neither moves on after nor retries: the retry planner's routing (the
    // policy's on_non_retryable; some categories always go to a person).
    verdict = planner_.decide(policy, t, now);
    if (verdict.action == retry_action::retry) {
      verdict.action = policy.on_non_retryable == terminal_action::escalate
                           ? retry_action::escalate
                           : retry_action::dead_letter;
      verdict.reason = dead_letter_reason::non_retryable;
    }
    verdict.why =
        "fallback chain gave up (" + to_string(step.end) + "): " + step.why + "; " + verdict.why;
  } else {
    verdict.action = policy.on_exhausted == terminal_action::escalate ? retry_action::escalate
                                                                      : retry_action::dead_letter;
    verdict.reason = dead_letter_reason::exhausted;
    verdict.why = "fallback chain gave up (" + to_string(step.end) + "): " + step.why +
                  (t.history.empty() ? "" : "; " + retry_planner::describe(t));
  }
  fallback_router::leave(t);
  end(std::move(t), std::move(verdict));
}

void retry_lanes::unpark_all(time_point now) {
  if (parked_.empty())
    return;
  std::vector<parked_task> all;
  all.reserve(parked_.size());
  for (auto& [_, entry] : parked_)
    all.push_back(std::move(entry));
  parked_.clear(); // their timers find nothing and are ignored
  std::sort(all.begin(), all.end(),
            [](const parked_task& x, const parked_task& y) { return x.work.id < y.work.id; });
  for (auto& entry : all) {
    auto chain = fallbacks_.chain_for(entry.work.kind);
    advance(std::move(entry.work), *chain, entry.position, false, now);
  }
}

counter& retry_lanes::chain_counter(const char* name, const char* help, metric_labels labels) {
  return metrics_->counter(name, help, std::move(labels));
}

void retry_lanes::transition(const breaker_transition& x, time_point now) {
  if (!applies(x))
    return;
  auto& l = lane_of(x.service.empty() ? x.key : x.service, now);
  auto was_holding = holds_retries(l.breaker);
  l.breaker = x.to;
  l.probe_at = holds_retries(x.to) && x.until_probe.count() > 0
                   ? (x.at != time_point{} ? x.at : now) + x.until_probe
                   : time_point{};
  // Coming back from open (to half_open, or straight to closed), the service gets a ramp.
  if (!holds_retries(x.to) && (x.to == breaker_state::half_open || was_holding))
    l.pacer.restart(now);
  if (x.to == breaker_state::closed && config_.budget_enabled)
    l.budget.refill();
  pump(l, now);
  // A tier may take calls again: parked tasks decide anew (the others stay parked).
  if (was_holding && !holds_retries(x.to))
    unpark_all(now);
  if (x.to == breaker_state::closed && x.from != breaker_state::closed)
    reroute_past(l.service);
  publish_ages(now);
  arm(now);
}

void retry_lanes::reroute_past(const std::string& service) {
  for (const auto& [kind, chain] : fallbacks_.chains) {
    auto tiers = chain.tiers.size();
    size_t back = 0;
    while (back < tiers &&
           !(chain.tiers[back].kind == tier_kind::service && chain.tiers[back].target == service))
      ++back;
    if (back + 1 >= tiers)
      continue; // not on this chain, or its last tier: nothing waits past it
    std::vector<std::string> later;
    for (auto i = back + 1; i < tiers; ++i)
      later.push_back(chain.tiers[i].label);
    actions_.reroute.emplace_back(kind, std::move(later));
  }
}

void retry_lanes::observe(const std::string& service, int32_t successes, int32_t failures,
                          time_point now) {
  auto& l = lane_of(service, now);
  l.budget.on_success(std::max(successes, int32_t{0}));
  for (int32_t i = 0; i < failures; ++i) {
    l.budget.on_failure();
    if (config_.pacing_enabled)
      l.pacer.on_failure(now);
  }
  pump(l, now);
  publish_ages(now);
  arm(now);
}

void retry_lanes::tick(uint64_t generation, time_point now) {
  if (!queue_.fire(generation))
    return;
  touched_.clear();
  std::vector<std::pair<task, size_t>> decide_again; // chained tasks and their chain position
  while (auto due = queue_.pop_due(now)) {
    if ((due->key & park_bit) != 0) {
      auto p = parked_.find(due->key);
      if (p == parked_.end())
        continue;
      decide_again.emplace_back(std::move(p->second.work), p->second.position);
      parked_.erase(p);
      continue;
    }
    if ((due->key & wake_bit) != 0) {
      auto& l = lanes_[due->key & ~wake_bit];
      if (l.wake_armed && l.wake_at <= now)
        l.wake_armed = false;
      touched_.push_back(l.index);
      continue;
    }
    auto i = pending_.find(due->key);
    if (i == pending_.end())
      continue;
    auto& l = lanes_[i->second.lane];
    auto& work = i->second.work;
    auto chain = fallbacks_.chain_for(work.kind);
    if (holds_retries(l.breaker) && chain != nullptr && work.route.on_chain()) {
      // Its tier's breaker is open: the chain decides anew (skip it) instead of holding it.
      auto position = fallback_router::position_of(*chain, work);
      l.starts.erase(l.starts.find(i->second.started));
      decide_again.emplace_back(std::move(work), position);
      pending_.erase(i);
      touched_.push_back(l.index);
      continue;
    }
    auto& m = counters_for(work.kind, l.service);
    if (holds_retries(l.breaker))
      m.held_by_breaker->inc();
    else if (config_.budget_enabled && !l.budget.allows(now))
      m.waited_for_budget->inc();
    l.held.push_back(due->key);
    ++held_;
    touched_.push_back(l.index);
  }
  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  for (auto index : touched_)
    pump(lanes_[index], now);
  for (auto& [t, position] : decide_again) {
    auto chain = fallbacks_.chain_for(t.kind);
    advance(std::move(t), *chain, position, false, now);
  }
  publish_ages(now);
  arm(now);
}

std::vector<task> retry_lanes::hand_back() {
  std::vector<task> result;
  result.reserve(pending_.size());
  for (auto& [_, entry] : pending_)
    result.push_back(std::move(entry.work));
  pending_.clear();
  for (auto& [_, entry] : parked_)
    result.push_back(std::move(entry.work));
  parked_.clear();
  queue_.clear();
  held_ = 0;
  for (auto& l : lanes_) {
    l.held.clear();
    l.starts.clear();
    l.wake_armed = false;
    l.oldest_age->set(0);
    l.oldest_start->set(0);
    publish(l);
  }
  std::sort(result.begin(), result.end(), [](const task& x, const task& y) { return x.id < y.id; });
  for (auto& t : result)
    planner_.forget(t.id);
  return result;
}

// -- releasing retries ----------------------------------------------------------------------

void retry_lanes::pump(lane& l, time_point now) {
  l.budget_blocked = false;
  while (!l.held.empty() && !holds_retries(l.breaker)) {
    auto& work = pending_.at(l.held.front()).work;
    const auto& policy = policy_for(work.kind);
    if (planner_.expired(policy, work, now)) {
      retry_decision verdict;
      verdict.action = policy.on_exhausted == terminal_action::escalate ? retry_action::escalate
                                                                        : retry_action::dead_letter;
      verdict.why = "retry deadline passed while held; " + retry_planner::describe(work);
      end(take_front(l), std::move(verdict));
      continue;
    }
    if (config_.budget_enabled && !l.budget.allows(now)) {
      if (config_.on_budget_exhausted == budget_action::wait) {
        l.budget_blocked = true;
        wake(l, l.budget.next_allowed(now));
        break;
      }
      retry_decision verdict;
      verdict.action = retry_action::dead_letter;
      verdict.reason = dead_letter_reason::budget_exhausted;
      verdict.why = "the retry budget of service \"" + l.service + "\" is spent; " +
                    retry_planner::describe(work);
      end(take_front(l), std::move(verdict));
      continue;
    }
    if (config_.pacing_enabled && !l.pacer.try_acquire(now)) {
      wake(l, l.pacer.next_token(now));
      break;
    }
    if (config_.budget_enabled)
      l.budget.spend(now);
    auto t = take_front(l);
    counters_for(t.kind, l.service).released->inc();
    ++t.attempt;
    actions_.resubmit.push_back(std::move(t));
  }
  publish(l);
}

task retry_lanes::take_front(lane& l) {
  auto i = pending_.find(l.held.front());
  auto t = std::move(i->second.work);
  l.starts.erase(l.starts.find(i->second.started));
  pending_.erase(i);
  l.held.pop_front();
  --held_;
  return t;
}

void retry_lanes::end(task t, retry_decision verdict) {
  planner_.forget(t.id);
  if (verdict.reason == dead_letter_reason::exhausted)
    counters_for(t.kind, service_of(t)).exhausted->inc();
  actions_.ended.emplace_back(std::move(t), std::move(verdict));
}

void retry_lanes::wake(lane& l, time_point at) {
  if (at == time_point::max() || (l.wake_armed && l.wake_at <= at))
    return;
  l.wake_at = at;
  l.wake_armed = true;
  queue_.push(at, wake_bit | l.index);
}

void retry_lanes::arm(time_point now) {
  if (auto delay = queue_.arm(now))
    actions_.timer = delay;
}

// -- bookkeeping ----------------------------------------------------------------------------

void retry_lanes::publish(lane& l) {
  auto held = static_cast<double>(l.held.size());
  auto by_breaker = holds_retries(l.breaker);
  auto by_budget = !by_breaker && l.budget_blocked;
  l.held_by_breaker->set(by_breaker ? held : 0);
  l.waiting_for_budget->set(by_budget ? held : 0);
  l.tokens->set(l.budget.tokens());
  l.rate->set(l.pacer.rate());
  queue_depth_->set(static_cast<double>(pending_.size() - held_));
  held_total_->set(static_cast<double>(held_));
}

void retry_lanes::publish_ages(time_point now) {
  // Every lane: an age grows while nothing happens in its own lane. The start's wall-clock
  // timestamp lets Prometheus compute the age at any time (`time() - ...`), also between events.
  auto to_wall = wall_offset(now, wall_now_ms());
  for (auto& l : lanes_) {
    if (l.starts.empty()) {
      l.oldest_age->set(0);
      l.oldest_start->set(0);
      continue;
    }
    auto oldest = *l.starts.begin();
    l.oldest_age->set(std::chrono::duration<double>(now - oldest).count());
    l.oldest_start->set(static_cast<double>(to_epoch_ms(oldest + to_wall)) / 1000.0);
  }
}

time_point retry_lanes::first_attempt_start(const task& t, time_point now) {
  if (t.replays > 0)
    for (auto i = t.history.rbegin(); i != t.history.rend(); ++i)
      if (i->number == 1)
        return i->time;
  return t.created != time_point{} ? t.created : now;
}

size_t retry_lanes::held(const std::string& service) const {
  auto l = find_lane(service);
  return l ? l->held.size() : 0;
}

breaker_state retry_lanes::breaker(const std::string& service) const {
  auto l = find_lane(service);
  return l ? l->breaker : breaker_state::closed;
}

const retry_lanes::lane* retry_lanes::find_lane(const std::string& service) const {
  auto i = lane_index_.find(service);
  return i != lane_index_.end() ? &lanes_[i->second] : nullptr;
}

retry_lanes::lane& retry_lanes::lane_of(const std::string& service, time_point now) {
  auto i = lane_index_.find(service);
  if (i != lane_index_.end())
    return lanes_[i->second];
  auto index = static_cast<uint32_t>(lanes_.size());
  metric_labels labels{{"service", service}};
  auto& m = *metrics_;
  lanes_.push_back(
      lane{service,
           index,
           breaker_state::closed,
           {},
           adaptive_pacer{config_.pacing, now},
           retry_budget{config_.budget, now},
           time_point{},
           false,
           false,
           &m.gauge("herd_retries_held_by_breaker", "Due retries held while the breaker is open",
                    labels),
           &m.gauge("herd_retries_waiting_for_budget", "Due retries waiting for the retry budget",
                    labels),
           &m.gauge("herd_retry_budget_tokens", "Tokens in the service's retry budget", labels),
           &m.gauge("herd_retry_rate", "Releases per second the service's pacer allows", labels),
           &m.gauge("herd_retry_oldest_age_seconds",
                    "Age (since its first attempt started) of the oldest task waiting for a "
                    "retry of the service; 0 when none waits",
                    labels),
           &m.gauge("herd_retry_oldest_start_timestamp_seconds",
                    "Wall-clock Unix time when the first attempt of the oldest task waiting for "
                    "a retry of the service started; 0 when none waits",
                    labels),
           {},
           time_point{}});
  lane_index_.emplace(service, index);
  return lanes_.back();
}

const failure_policy& retry_lanes::policy_for(const std::string& kind) const {
  static const failure_policy fallback;
  auto i = policies_.find(kind);
  if (i != policies_.end())
    return i->second;
  i = policies_.find(fallback_policy_);
  return i != policies_.end() ? i->second : fallback;
}

retry_lanes::kind_counters& retry_lanes::counters_for(const std::string& kind,
                                                      const std::string& service) {
  auto key = std::make_pair(kind, service);
  auto i = kind_counters_.find(key);
  if (i != kind_counters_.end())
    return i->second;
  auto& m = *metrics_;
  metric_labels labels{{"kind", kind}, {"service", service}};
  auto ended = [&](const char* status) {
    auto with_status = labels;
    with_status.emplace_back("status", status);
    return &m.counter("herd_retries_ended_total",
                      "Tasks the retry scheduler ended, by final status", with_status);
  };
  kind_counters entry{
      &m.counter("herd_retries_scheduled_total", "Retries put in the timer queue", labels),
      &m.counter("herd_retries_released_total", "Retries sent back to the dispatcher", labels),
      &m.counter("herd_retries_exhausted_total",
                 "Tasks out of attempts or past their retry deadline", labels),
      &m.counter("herd_retries_held_by_breaker_total",
                 "Retries that came due while their service's breaker was open", labels),
      &m.counter("herd_retries_waited_for_budget_total",
                 "Retries that came due while their service's retry budget was spent", labels),
      ended("dead_lettered"),
      ended("escalated"),
      ended("failed")};
  return kind_counters_.emplace(key, entry).first->second;
}

} // namespace herd
