#include "herd/simulation/herd_simulation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <unistd.h>

#include "herd/core/virtual_time.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/runtime/system_config.hpp"
#include "herd/simulation/calling_agent.hpp"
#include "herd/simulation/service_actor.hpp"
#include "herd/simulation/task_source.hpp"

namespace herd {

namespace {

const char* const service_name = scenario::service_name;

struct sim_system_config : caf::actor_system_config {
  explicit sim_system_config(bool realtime) {
    if (!realtime)
      set("scheduler.policy", caf::atom("testing"));
    else
      set("scheduler.max-threads", 2);
    announce_types(*this);
  }
};

duration seconds(double s) {
  return std::chrono::duration_cast<duration>(std::chrono::duration<double>(s));
}

/// A SQLite file of its own for the run's dead letters, removed with its journal at the end.
struct temp_db {
  std::string path;
  temp_db() {
    static std::atomic<uint64_t> counter{0};
    path =
        (std::filesystem::temp_directory_path() /
         ("herd-simulate-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".db"))
            .string();
  }
  ~temp_db() {
    std::error_code ignored;
    for (auto suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path + suffix, ignored);
  }
};

} // namespace

herd_simulation::herd_simulation(const scenario& config, const arrival_schedule& arrivals,
                                 bool realtime, std::string strategy)
    : config_(&config), arrivals_(&arrivals), realtime_(realtime), strategy_(std::move(strategy)) {}

const char* herd_simulation::service() {
  return service_name;
}

runtime_config herd_simulation::configure(const scenario& s, bool blind, bool chain) {
  runtime_config rc;
  rc.log_level = "error";
  auto n = static_cast<int64_t>(s.tasks) + 1;
  rc.dispatcher.intake_capacity = n;
  rc.dispatcher.completed_capacity = n;
  // Calls may wait at the gate and take the service's slowest latency: leases must outlast both.
  rc.dispatcher.lease_timeout = seconds(std::max(300.0, 10 * s.latency_p99_ms / 1000));
  auto& policy = rc.policies[s.kind];
  auto& presets = failure_policy::preset_names();
  auto known = std::find(presets.begin(), presets.end(), s.kind) != presets.end();
  policy = failure_policy::preset(known ? s.kind : "default");
  policy.max_attempts = s.max_attempts;
  policy.backoff = {backoff_kind::full_jitter, seconds(s.base_ms / 1000), 2.0,
                    seconds(s.cap_ms / 1000)};
  rc.retry.seed = s.seed;
  // Each service's admission: told its capacity (herd), or nothing (blind: it learns the rate);
  // its queue holds the fleet's backlog (the dispatcher bounds it) and a call may wait as long
  // as a lease lasts.
  auto admit = [&](const std::string& service, const scenario& behaviour) {
    auto& admission = rc.admission.services[service];
    admission.queue_limit = n;
    admission.max_queue_wait = seconds(3600);
    if (!blind) {
      // The service's rate limit, as a user who knows it configures it: every call is admitted
      // at most at the capacity (a hundredth of a second's worth back to back).
      admission.rate_per_s = behaviour.capacity_per_s;
      admission.burst = std::max(1.0, behaviour.capacity_per_s / 100);
    }
  };
  admit(service_name, s);
  if (s.fallback)
    admit(s.fallback->name, *s.fallback->behaviour);
  if (chain && s.fallback)
    rc.fallbacks.chains[s.kind] = s.fallback->chain;
  if (!blind) {
    // Retries go no faster than the capacity; a recovering service gets a ramp from a fifth of
    // it that reaches it within five seconds.
    rc.retry.pacing.initial_rate = s.capacity_per_s / 5;
    rc.retry.pacing.increase_per_s = s.capacity_per_s / 5;
    rc.retry.pacing.max_rate = s.capacity_per_s;
    rc.retry.pacing.min_rate = std::max(1.0, s.capacity_per_s / 100);
    rc.retry.pacing.burst = std::max(5.0, s.capacity_per_s / 100);
    // Admission already keeps calls under the capacity; the budget caps what failures that are
    // not overload may cost: a success earns half a retry, a fifth of the capacity may always go.
    rc.retry.budget.token_ratio = 0.5;
    rc.retry.budget.min_retries_per_s = std::max(10.0, s.capacity_per_s / 5);
  }
  auto& breaker = rc.breakers.defaults;
  breaker.window_size = 50;
  breaker.min_calls = 20;
  // Probes every half second to a second: a recovered service is found within a second, and
  // three probes a second cost an unrecovered one nothing.
  breaker.open_duration = seconds(0.5);
  breaker.open_multiplier = 1.5;
  breaker.max_open_duration = seconds(1);
  breaker.half_open_probes = 3;
  breaker.probe_timeout = seconds(std::max(5.0, 5 * s.latency_p99_ms / 1000));
  breaker.call_timeout = seconds(std::max(60.0, 10 * s.latency_p99_ms / 1000));
  breaker.seed = s.seed;
  dead_letter_queue_config dl;
  dl.synchronous = "normal";
  dl.poll_interval = duration{0};
  dl.depth_alert = 0;
  rc.dead_letters = dl;
  rc.history.reset(); // a simulation reports itself; no task history is written
  return rc;
}

strategy_result herd_simulation::run(const progress_fn& progress) {
  auto wall_start = std::chrono::steady_clock::now();
  const auto& s = *config_;
  auto rc = configure(s, strategy_ == "herd_blind", scenario::uses_chain(strategy_));
  temp_db db;
  rc.dead_letters->db = db.path;
  auto recorder = std::make_shared<run_recorder>();
  sim_system_config cfg{realtime_};
  caf::actor_system sys{cfg};
  sys.await_actors_before_shutdown(false);
  std::optional<virtual_time> vt;
  if (!realtime_) {
    vt.emplace(sys);
    // Start away from the clock's epoch (time zero means "none" in task deadlines).
    vt->coordinator().clock().current_time += std::chrono::hours(1);
  }
  auto start = sys.clock().now();
  // The real runtime: dispatcher, retry scheduler, breakers and the durable queues under its
  // supervision tree, the agents in a supervised pool; only the service is ours (the runtime
  // puts its admission gate and breaker in front of it).
  std::optional<herd::runtime> rt{std::in_place, sys, rc};
  // Each service behind its breaker and admission gate; the agents call the one a task names.
  std::vector<caf::actor> services{
      sys.spawn<service_actor>(s, service_name, s.seed, start, recorder)};
  std::map<std::string, caf::actor> breakers;
  auto fallback_recorder = std::make_shared<run_recorder>();
  auto add = [&](const std::string& name, const caf::actor& service) {
    rt->add_service(name, service);
    auto breaker = rt->breaker_for(name);
    if (!breaker)
      throw std::runtime_error("herd simulate: no breaker: " + sys.render(breaker.error()));
    breakers.emplace(name, *breaker);
  };
  add(service_name, services.front());
  if (s.fallback) {
    // Seeded apart from the primary, so the two services do not draw the same latencies.
    services.push_back(sys.spawn<service_actor>(*s.fallback->behaviour, s.fallback->name,
                                                s.seed + 1, start, fallback_recorder));
    add(s.fallback->name, services.back());
  }
  rt->spawn_pool<calling_agent>("agents", static_cast<size_t>(s.agents), breakers);
  auto dispatcher = caf::actor_cast<caf::actor>(rt->dispatcher());
  auto source = sys.spawn<task_source>(dispatcher, arrivals_->times(), start, s.kind,
                                       std::string{service_name}, recorder);
  auto n = arrivals_->size();
  // A run that has not ended long after its arrivals stops; its unfinished tasks show as lost.
  auto limit = 10 * s.duration_s + 3600;
  double now_s = 0;
  if (vt) {
    while (recorder->ended_total() < n && now_s < limit) {
      vt->advance(seconds(1));
      now_s += 1;
      recorder->close_until(now_s);
      if (progress)
        progress(now_s);
    }
  } else {
    while (recorder->ended_total() < n && now_s < limit) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      now_s = std::chrono::duration<double>(sys.clock().now() - start).count();
      recorder->close_until(std::floor(now_s));
      if (progress)
        progress(now_s);
    }
    now_s = std::ceil(now_s);
  }
  recorder->close_until(now_s + 1);
  // herd's books must agree with what the submitters saw.
  auto stats = rt->stats();
  rt.reset(); // drains (nothing is pending) and stops the runtime's actors
  caf::anon_send_exit(source, caf::exit_reason::user_shutdown);
  for (auto& x : services)
    caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
  if (vt)
    vt->run();
  auto result = strategy_result::make(strategy_, s, *recorder);
  if (s.fallback)
    result.fallback_calls = fallback_recorder->calls();
  result.reconciled = stats.balanced() && stats.pending() == 0 && stats.accepted == n &&
                      stats.completed == result.tasks_completed &&
                      stats.dead_lettered == result.tasks_dead_lettered &&
                      stats.escalated == result.tasks_escalated;
  result.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

} // namespace herd
