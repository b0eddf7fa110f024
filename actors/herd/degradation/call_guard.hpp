#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/breakers/breaker_registry_config.hpp"
#include "herd/budgets/budget_admission.hpp"
#include "herd/budgets/budget_charge.hpp"
#include "herd/budgets/budget_config.hpp"
#include "herd/budgets/cost_budget.hpp"
#include "herd/core/failure.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/degradation/loop_guard.hpp"
#include "herd/http/llm_prices.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// The runtime's shared, in-process guard of agents' service calls (`agent::call`): it knows each
/// service (its breaker and its `llm_prices`), keeps per task a `loop_guard` and the task's spend,
/// and holds the cost budgets of the runtime and of each pool. Thread-safe (one mutex): every
/// agent of the runtime uses it. Times are wall-clock UTC ms, given by the caller.
///
/// Repeats and retries: a retry repeats the calls of the failed attempt, so repeats are counted
/// per attempt (a fresh `loop_guard` when `task::attempt` grows); the step limit counts every call
/// of the task over all its attempts (`max_steps` in all). A task retried `max_attempts` times on
/// one tier is thus never stopped as a loop for its retries, while a loop inside one attempt is.
///
/// A task's own hard budget (`budgets.task`) refuses its next call once reached (the answer that
/// reached it was paid for and is kept). Hard runtime and pool budgets do not refuse calls of
/// tasks in flight: they refuse new submits (`admit`, asked by the dispatcher).
///
/// Per-task state is dropped when the dispatcher reports the task settled (`settled`); at most
/// `max_tasks` tasks are kept, the least recently called dropped first (a safety bound).
class call_guard {
public:
  /// What the runtime configures.
  struct settings {
    /// The step and repeat limits of every task. Default: `loop_guard::limits{}` (50, 3, 5).
    loop_guard::limits loop_limits;
    /// The budgets and the price table. Default: none.
    budget_config budgets;
    /// Which calls share a breaker (the agent's own with agent_service). Default: service.
    breaker_scope scope = breaker_scope::service;
    /// Tasks whose state is kept at most. Default: 100000.
    size_t max_tasks = 100000;
  };

  /// A guard with `config`, counting into `metrics` (default: a registry of its own).
  explicit call_guard(settings config, std::shared_ptr<metrics_registry> metrics = nullptr);
  ~call_guard();

  call_guard(const call_guard&) = delete;
  call_guard& operator=(const call_guard&) = delete;

  // -- services -------------------------------------------------------------------------------

  /// Registers `service` and its prices (none: priced by the table, or unpriced).
  void add_service(const std::string& service, std::optional<llm_prices> prices = std::nullopt);
  /// True if `service` was registered.
  bool knows_service(const std::string& service) const;
  /// Sets the breaker registry that hands out breakers, forgetting the breakers cached so far.
  void set_breakers(caf::actor registry);
  /// The breaker registry; none before `set_breakers`.
  caf::actor breakers() const;
  /// The cached breaker of a call by `agent` to `service` (the breaker scope decides whether
  /// `agent` matters); none if not cached.
  caf::actor cached_breaker(const std::string& agent, const std::string& service) const;
  /// Caches `breaker` for calls by `agent` to `service`.
  void remember_breaker(const std::string& agent, const std::string& service, caf::actor breaker);
  /// Forgets the cached breaker of calls by `agent` to `service` (it is gone).
  void forget_breaker(const std::string& agent, const std::string& service);

  // -- clock ----------------------------------------------------------------------------------

  /// The wall-clock UTC ms of the actor clock's `actor_now`; the offset between the two clocks
  /// is taken once, at the first call, so every actor of the runtime (agents, dispatcher) maps
  /// its clock the same way (on CAF's test coordinator, virtual time moves the windows).
  int64_t wall_ms(time_point actor_now);

  // -- calls ----------------------------------------------------------------------------------

  /// Judges the next call of `t` to `service` with `request` (the merged request text) at
  /// `now_ms` and counts it: a failure (step_limit, loop_detected, budget_exhausted; its message
  /// carries the counts and a bounded excerpt of the request) if it must not be made, none if
  /// it may. A warning is logged and counted.
  std::optional<failure> check(const task& t, const std::string& service,
                               const std::string& request, int64_t now_ms);
  /// Charges the cost of `answer` from `service` (its token usage at the service's prices, else
  /// at `budgets.prices`) to `t`, its pool and the runtime; returns the cost (none: no usage or
  /// unpriced).
  std::optional<double> charge(const task& t, const std::string& service, const outcome& answer,
                               int64_t now_ms);
  /// Charges `usd` (a cost a handler reports) to `t`, its pool and the runtime.
  void charge_usd(const task& t, double usd, int64_t now_ms);
  /// Forgets the state of a task that reached a terminal state.
  void settled(const std::string& task_id);
  /// Tasks whose state is kept.
  size_t tasks_tracked() const;
  /// What `t` has spent so far in USD (0 if unknown).
  double spent_by(const std::string& task_id) const;

  // -- intake ---------------------------------------------------------------------------------

  /// Whether a new task of `pool` may be accepted at `now_ms`: refused while the runtime's or the
  /// pool's hard budget is spent (the runtime's checked first).
  budget_admission admit(const std::string& pool, int64_t now_ms) const;
  /// True if any runtime or pool budget is configured.
  bool has_budgets() const { return !config_.budgets.empty(); }
  /// Every budget at `now_ms`, for /api/state: [{"subject", "window", "soft"?, "hard"?,
  /// "spent_usd", "remaining_usd"?, "resets_at" (ISO-8601 UTC, omitted for total)}].
  nlohmann::json budgets_json(int64_t now_ms) const;

  /// Called for every budget limit a charge reaches, with the budget's subject ("runtime",
  /// "pool:<name>", "task <id>"), the crossing and the sentence that is logged; runs under the
  /// guard's lock in the charging actor, so it must be short (send a message).
  using crossing_hook =
      std::function<void(const std::string&, const budget_crossing&, const std::string&)>;
  /// Sets the crossing hook (none: only logged and counted). Default: none.
  void on_crossing(crossing_hook hook);

  /// The settings.
  const settings& config() const { return config_; }

private:
  struct task_entry {
    std::string pool;
    int32_t attempt = 0;       // the attempt the loop guard counts
    int32_t earlier_steps = 0; // calls of earlier attempts
    loop_guard guard;          // of the current attempt
    std::optional<cost_budget> budget;
    double spent = 0;
    uint64_t touched = 0; // sequence number of its last use
  };

  task_entry& entry_of(const task& t);
  void spend(const task& t, double usd, int64_t now_ms);
  void report(const std::string& subject, const budget_charge& charge);
  void publish(const std::string& subject, const cost_budget& budget, int64_t now_ms);
  /// The crossing counter of one subject, window and level (created at 0 on first use).
  counter& crossings(const std::string& subject, budget_period period, budget_level level);
  void evict_if_full();

  settings config_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  mutable std::mutex mtx_;
  std::map<std::string, std::optional<llm_prices>> services_;
  caf::actor registry_;
  std::map<std::string, caf::actor> breakers_; // by breaker key
  std::map<std::string, task_entry> tasks_;
  /// True once any task has an entry (set under the lock, read without it by `settled`).
  std::atomic<bool> tracks_tasks_{false};
  uint64_t uses_ = 0;
  std::optional<duration> wall_offset_; // actor clock -> wall clock, from the first wall_ms
  cost_budget runtime_budget_;
  std::map<std::string, cost_budget> pool_budgets_;
  crossing_hook crossing_hook_;
  counter* loop_warnings_;
  counter* loop_stops_;
  counter* step_stops_;
  counter* budget_stops_;
  counter* unpriced_;
};

} // namespace herd
