#include "herd/degradation/call_guard.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "herd/budgets/cost_of.hpp"
#include "herd/budgets/token_usage.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/degradation/call_fingerprint.hpp"

namespace herd {

namespace {

/// Requests quoted in a refusal are cut to this many characters.
constexpr size_t excerpt_chars = 200;

std::string excerpt(const std::string& request) {
  if (request.size() <= excerpt_chars)
    return request;
  return request.substr(0, excerpt_chars) + "... (" + std::to_string(request.size()) + " chars)";
}

std::string usd(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", x);
  return text;
}

std::shared_ptr<metrics_registry> or_fresh(std::shared_ptr<metrics_registry> metrics) {
  return metrics ? std::move(metrics) : std::make_shared<metrics_registry>();
}

} // namespace

call_guard::call_guard(settings config, std::shared_ptr<metrics_registry> metrics)
    : config_(std::move(config)), metrics_(or_fresh(std::move(metrics))),
      log_(component_logger("call_guard")), runtime_budget_(config_.budgets.runtime) {
  for (auto& [pool, limits] : config_.budgets.pools)
    pool_budgets_.emplace(pool, cost_budget{limits});
  loop_warnings_ = &metrics_->counter("herd_loop_warnings_total",
                                      "Calls that repeated an earlier call of their task attempt "
                                      "warn_repeats times or more (made, reported)");
  loop_stops_ = &metrics_->counter("herd_loop_stops_total",
                                   "Calls refused as loop_detected (not made; the task ends)");
  step_stops_ = &metrics_->counter("herd_step_limit_stops_total",
                                   "Calls refused as step_limit (not made; the task ends)");
  budget_stops_ = &metrics_->counter(
      "herd_budget_refused_calls_total",
      "Calls refused because their task's own hard budget is spent (not made; the task ends)");
  unpriced_ = &metrics_->counter("herd_budget_unpriced_calls_total",
                                 "Answers with token usage but no price for their model: not "
                                 "charged to any budget");
  auto now = wall_now_ms();
  publish("runtime", runtime_budget_, now);
  for (auto& [pool, budget] : pool_budgets_)
    publish("pool:" + pool, budget, now);
}

call_guard::~call_guard() = default;

// -- services ---------------------------------------------------------------------------------

void call_guard::add_service(const std::string& service, std::optional<llm_prices> prices) {
  std::lock_guard<std::mutex> guard{mtx_};
  services_[service] = prices;
}

bool call_guard::knows_service(const std::string& service) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return services_.count(service) > 0;
}

void call_guard::set_breakers(caf::actor registry) {
  std::lock_guard<std::mutex> guard{mtx_};
  registry_ = std::move(registry);
  breakers_.clear();
}

caf::actor call_guard::breakers() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return registry_;
}

caf::actor call_guard::cached_breaker(const std::string& agent, const std::string& service) const {
  breaker_registry_config keys;
  keys.scope = config_.scope;
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = breakers_.find(keys.key_of(agent, service));
  return i == breakers_.end() ? caf::actor{} : i->second;
}

void call_guard::remember_breaker(const std::string& agent, const std::string& service,
                                  caf::actor breaker) {
  breaker_registry_config keys;
  keys.scope = config_.scope;
  std::lock_guard<std::mutex> guard{mtx_};
  breakers_[keys.key_of(agent, service)] = std::move(breaker);
}

void call_guard::forget_breaker(const std::string& agent, const std::string& service) {
  breaker_registry_config keys;
  keys.scope = config_.scope;
  std::lock_guard<std::mutex> guard{mtx_};
  breakers_.erase(keys.key_of(agent, service));
}

// -- clock ----------------------------------------------------------------------------------

int64_t call_guard::wall_ms(time_point actor_now) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (!wall_offset_)
    wall_offset_ = wall_offset(actor_now, wall_now_ms());
  return to_epoch_ms(actor_now + *wall_offset_);
}

// -- calls ------------------------------------------------------------------------------------

call_guard::task_entry& call_guard::entry_of(const task& t) {
  auto i = tasks_.find(t.id);
  if (i == tasks_.end()) {
    evict_if_full();
    i = tasks_.emplace(t.id, task_entry{}).first;
    tracks_tasks_.store(true, std::memory_order_relaxed);
    auto& fresh = i->second;
    fresh.pool = t.route.home_pool.empty() ? t.pool : t.route.home_pool;
    fresh.attempt = t.attempt;
    fresh.guard = loop_guard{config_.loop_limits};
    if (config_.budgets.task)
      fresh.budget.emplace(std::vector<budget_limit>{*config_.budgets.task});
  }
  auto& entry = i->second;
  entry.touched = ++uses_;
  if (t.attempt > entry.attempt) {
    // A retry repeats the failed attempt's calls: its repeats start over, its steps do not.
    entry.earlier_steps += entry.guard.steps();
    entry.attempt = t.attempt;
    auto limits = config_.loop_limits;
    limits.max_steps = std::max(0, limits.max_steps - entry.earlier_steps);
    entry.guard = loop_guard{limits};
  }
  return entry;
}

void call_guard::evict_if_full() {
  if (tasks_.size() < std::max<size_t>(config_.max_tasks, 1))
    return;
  auto oldest = std::min_element(tasks_.begin(), tasks_.end(), [](const auto& x, const auto& y) {
    return x.second.touched < y.second.touched;
  });
  log_->warn("forgetting the call state of task {}: more than {} tasks are tracked", oldest->first,
             config_.max_tasks);
  tasks_.erase(oldest);
}

std::optional<failure> call_guard::check(const task& t, const std::string& service,
                                         const std::string& request, int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& entry = entry_of(t);
  if (entry.budget && !entry.budget->admit(now_ms).admitted) {
    budget_stops_->inc();
    auto why = failure::make(failure_category::budget_exhausted,
                             "the task's own hard budget of " + usd(*config_.budgets.task->hard) +
                                 " USD is spent (" + usd(entry.spent) + " USD); call to " +
                                 service + " not made: " + excerpt(request));
    why.from(service).because("budgets.task");
    log_->warn("task {}: {}", t.id, why.message);
    return why;
  }
  auto stopped_before = entry.guard.stopped();
  auto check = entry.guard.on_call(call_fingerprint::of_text(service, request));
  auto steps = entry.earlier_steps + check.steps;
  if (check.verdict == loop_verdict::allow)
    return std::nullopt;
  auto counts = "attempt " + std::to_string(t.attempt) + ", call " + std::to_string(steps) +
                " of the task, that request " + std::to_string(check.repeats) +
                " times in this attempt" + (stopped_before ? ", stopped before" : "");
  if (check.verdict == loop_verdict::warn) {
    loop_warnings_->inc();
    log_->warn("task {}: possible loop: {} ({}); request to {}: {}", t.id, check.why, counts,
               service, excerpt(request));
    return std::nullopt;
  }
  failure why;
  if (check.reason == "step_limit") {
    step_stops_->inc();
    why = failure::make(failure_category::step_limit,
                        "call " + std::to_string(steps) + " of the task is over the step limit (" +
                            "max_steps " + std::to_string(config_.loop_limits.max_steps) +
                            "); call to " + service + " not made: " + excerpt(request));
  } else {
    loop_stops_->inc();
    why = failure::make(failure_category::loop_detected, check.why + " (" + counts + "); call to " +
                                                             service +
                                                             " not made: " + excerpt(request));
  }
  why.from(service).because(check.fingerprint.to_string());
  log_->warn("task {}: {}", t.id, why.message);
  return why;
}

std::optional<double> call_guard::charge(const task& t, const std::string& service,
                                         const outcome& answer, int64_t now_ms) {
  auto result = nlohmann::json::parse(answer.result, nullptr, false);
  if (result.is_discarded())
    return std::nullopt;
  auto usage = token_usage::from_result(result);
  if (!usage)
    return std::nullopt;
  std::optional<double> cost;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = services_.find(service);
    if (i != services_.end() && i->second)
      cost = cost_of(*usage, *i->second);
    else
      cost = cost_of(*usage, config_.budgets.prices);
  }
  if (!cost) {
    unpriced_->inc();
    log_->debug("task {}: no price for model \"{}\" of {}: not charged", t.id, usage->model,
                service);
    return std::nullopt;
  }
  spend(t, *cost, now_ms);
  return cost;
}

void call_guard::charge_usd(const task& t, double usd_spent, int64_t now_ms) {
  spend(t, usd_spent, now_ms);
}

void call_guard::spend(const task& t, double usd_spent, int64_t now_ms) {
  if (!(usd_spent > 0))
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  auto& entry = entry_of(t);
  entry.spent += usd_spent;
  if (entry.budget)
    report("task " + t.id, entry.budget->charge(usd_spent, now_ms));
  report("runtime", runtime_budget_.charge(usd_spent, now_ms));
  publish("runtime", runtime_budget_, now_ms);
  auto pool = pool_budgets_.find(entry.pool);
  if (pool != pool_budgets_.end()) {
    report("pool:" + pool->first, pool->second.charge(usd_spent, now_ms));
    publish("pool:" + pool->first, pool->second, now_ms);
  }
}

void call_guard::report(const std::string& subject, const budget_charge& charge) {
  // A task's own budget has one series, not one per task.
  auto label = subject.rfind("task ", 0) == 0 ? std::string{"task"} : subject;
  for (auto& crossing : charge.crossings) {
    crossings(label, crossing.period, crossing.level).inc();
    auto resets = crossing.resets_at_ms ? "; resets at " + format_utc(*crossing.resets_at_ms)
                                        : std::string{"; never resets"};
    auto line = "the " + subject + " budget reached its " + to_string(crossing.level) + " " +
                to_string(crossing.period) + " limit of " + usd(crossing.limit) + " USD (spent " +
                usd(crossing.spent) + " USD)" + resets;
    if (crossing.level == budget_level::hard)
      log_->error("{}", line);
    else
      log_->warn("{}", line);
    if (crossing_hook_)
      crossing_hook_(subject, crossing, line);
  }
}

void call_guard::on_crossing(crossing_hook hook) {
  std::lock_guard<std::mutex> guard{mtx_};
  crossing_hook_ = std::move(hook);
}

counter& call_guard::crossings(const std::string& subject, budget_period period,
                               budget_level level) {
  return metrics_->counter(
      "herd_budget_crossings_total",
      "Budget limits reached (once per window), by subject, window and level",
      {{"subject", subject}, {"window", to_string(period)}, {"level", to_string(level)}});
}

void call_guard::publish(const std::string& subject, const cost_budget& budget, int64_t now_ms) {
  for (auto& window : budget.windows()) {
    // Each configured limit's crossing counter exists from the start (at 0), so alerts on it
    // see the series before the first crossing.
    if (window.limit().soft)
      crossings(subject, window.limit().period, budget_level::soft);
    if (window.limit().hard)
      crossings(subject, window.limit().period, budget_level::hard);
    metric_labels labels{{"subject", subject}, {"window", to_string(window.limit().period)}};
    metrics_->gauge("herd_budget_spent_usd", "USD spent in the current window", labels)
        .set(window.spent(now_ms));
    if (auto left = window.remaining(now_ms))
      metrics_
          ->gauge("herd_budget_remaining_usd", "USD left before the window's hard limit", labels)
          .set(*left);
  }
}

void call_guard::settled(const std::string& task_id) {
  // The dispatcher calls this for every task: skip the lock while no agent has called through
  // the guard (an agent's call happens before its task's report, so the flag is seen).
  if (!tracks_tasks_.load(std::memory_order_relaxed))
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  tasks_.erase(task_id);
}

size_t call_guard::tasks_tracked() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return tasks_.size();
}

double call_guard::spent_by(const std::string& task_id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = tasks_.find(task_id);
  return i == tasks_.end() ? 0.0 : i->second.spent;
}

// -- intake -----------------------------------------------------------------------------------

budget_admission call_guard::admit(const std::string& pool, int64_t now_ms) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto verdict = runtime_budget_.admit(now_ms);
  if (!verdict.admitted) {
    verdict.why = "runtime: " + verdict.why;
    return verdict;
  }
  auto i = pool_budgets_.find(pool);
  if (i == pool_budgets_.end())
    return verdict;
  verdict = i->second.admit(now_ms);
  if (!verdict.admitted)
    verdict.why = "pool " + pool + ": " + verdict.why;
  return verdict;
}

nlohmann::json call_guard::budgets_json(int64_t now_ms) const {
  auto rows = nlohmann::json::array();
  auto add = [&](const std::string& subject, const cost_budget& budget) {
    for (auto& window : budget.windows()) {
      nlohmann::json row{{"subject", subject},
                         {"window", to_string(window.limit().period)},
                         {"spent_usd", window.spent(now_ms)},
                         {"exhausted", window.exhausted(now_ms)}};
      if (window.limit().soft)
        row["soft_usd"] = *window.limit().soft;
      if (window.limit().hard)
        row["hard_usd"] = *window.limit().hard;
      if (auto left = window.remaining(now_ms))
        row["remaining_usd"] = *left;
      if (auto resets = window.resets_at(now_ms))
        row["resets_at"] = format_utc(*resets);
      rows.push_back(std::move(row));
    }
  };
  std::lock_guard<std::mutex> guard{mtx_};
  add("runtime", runtime_budget_);
  for (auto& [pool, budget] : pool_budgets_)
    add("pool:" + pool, budget);
  return rows;
}

} // namespace herd
