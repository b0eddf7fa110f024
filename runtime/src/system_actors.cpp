#include "system_actors.hpp"

#include <algorithm>
#include <stdexcept>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "dispatch/dispatcher.hpp"
#include "herd/admission/admission_gate.hpp"
#include "herd/breakers/breaker_registry.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/virtual_time.hpp"
#include "herd/dead_letters/dead_letter_queue.hpp"
#include "herd/dead_letters/escalation_queue.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/journal/journal_writer.hpp"
#include "herd/journal/task_journal.hpp"
#include "herd/locks/lock_manager.hpp"
#include "herd/retry/retry_scheduler.hpp"
#include "herd/supervision/health_monitor.hpp"
#include "herd/supervision/memory_watchdog.hpp"
#include "herd/supervision/pool_autoscaler.hpp"
#include "herd/supervision/proc_memory_probe.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "herd/supervision/supervisor.hpp"
#include "history_recorder.hpp"

namespace herd {

namespace {

/// Agents the board watches per runtime; more fall back to heartbeat messages (8 bytes each).
constexpr size_t board_capacity = size_t{1} << 16;

/// Revokes the locks of every agent incarnation the health monitor isolates (a hung agent may
/// never exit, so monitoring alone would keep its locks until their leases end); quits with its
/// lock manager.
caf::behavior lock_revoker(caf::event_based_actor* self, lock_manager_actor locks) {
  self->monitor(locks);
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  return {
      [self, locks](sup_event_atom, const supervision_event& event) {
        if (event.kind == supervision_event_kind::isolated)
          self->send(locks, lock_revoke_atom::value, event.name, event.actor_id);
      },
      // Handled, not dropped: a dropped message answers its sender with an error.
      [](restarted_atom, const std::string&, const caf::actor&, const caf::actor&) {},
  };
}

} // namespace

system_actors::system_actors(caf::actor_system& sys, runtime_config config,
                             std::shared_ptr<metrics_registry> metrics)
    : sys_(sys), config_(std::move(config)), metrics_(std::move(metrics)) {
  if (config_.health.watch == health_watch::board)
    board_ = std::make_shared<liveness_board>(board_capacity);
  call_guard::settings guarded;
  guarded.loop_limits = config_.loop_limits;
  guarded.budgets = config_.budgets;
  guarded.scope = config_.breakers.scope;
  guard_ = std::make_shared<call_guard>(std::move(guarded), metrics_);
}

// -- the tree ---------------------------------------------------------------------------------

void system_actors::boot() {
  // The database first: a file that is a directory, foreign, from a newer schema or not
  // writable fails here, before any actor runs, so the caller sees the store's error.
  if (config_.dead_letters)
    dead_letter_store{config_.dead_letters->db};
  if (auto db = config_.history_db(); !db.empty())
    history_store{db};
  if (config_.journal.durable())
    journal_ = std::make_shared<journal_writer>(
        std::make_unique<task_journal>(config_.journal_file(), config_.journal), config_.journal,
        metrics_);
  // Spawned here, in order, so the caller holds every handle at once; the root adopts them as
  // their first incarnations and calls the same factories for later ones.
  std::vector<child_spec> children;
  std::vector<caf::actor> spawned;
  auto add = [&](const std::string& id, caf::actor (system_actors::*start)(caf::actor_system&)) {
    spawned.push_back((this->*start)(sys_));
    children.push_back(adopting(system_child(id, start), spawned.back()));
  };
  try {
    // Every actor comes after the peers it is spawned with.
    if (!config_.history_db().empty())
      add("history", &system_actors::start_history_recorder);
    add("dispatcher", &system_actors::start_dispatcher);
    if (config_.dead_letters) {
      add("dead_letter_queue", &system_actors::start_dead_letter_queue);
      add("escalation_queue", &system_actors::start_escalation_queue);
    }
    add("retry_scheduler", &system_actors::start_retry_scheduler);
    add("breakers", &system_actors::start_breakers);
    add("health_monitor", &system_actors::start_health_monitor);
    add("locks", &system_actors::start_lock_manager);
    add("pools", &system_actors::start_pools);
  } catch (...) {
    // Nothing adopts the actors spawned so far: stop them, or the actor system waits for them
    // forever.
    for (auto& actor : spawned)
      if (actor)
        caf::anon_send_exit(actor, caf::exit_reason::kill);
    release();
    throw;
  }
  supervisor_config root_config;
  root_config.name = "herd.root";
  root_config.strategy = restart_strategy::rest_for_one;
  root_config.min_backoff = from_ms(10);
  root_config.max_backoff = from_ms(1000);
  auto root = observed(caf::actor_cast<caf::actor>(
      sys_.spawn<supervisor>(root_config, std::move(children), metrics_)));
  caf::actor watchdog;
  if (config_.memory.enabled()) {
    auto self = weak_from_this();
    watchdog = observed(caf::actor_cast<caf::actor>(sys_.spawn<memory_watchdog>(
        config_.memory, std::make_shared<proc_memory_probe>(),
        [self] {
          auto actors = self.lock();
          return actors ? actors->dispatcher() : dispatcher_actor{};
        },
        metrics_)));
  }
  std::lock_guard<std::mutex> guard{mtx_};
  root_ = std::move(root);
  memory_watchdog_ = std::move(watchdog);
}

child_spec system_actors::system_child(const std::string& id,
                                       caf::actor (system_actors::*start)(caf::actor_system&)) {
  child_spec spec;
  spec.id = id;
  spec.start = [self = shared_from_this(), start](caf::actor_system& sys) {
    return ((*self).*start)(sys);
  };
  return spec;
}

caf::actor system_actors::start_history_recorder(caf::actor_system& sys) {
  // Its own connection to the file (WAL mode); it hears every supervision event, as listeners
  // do, and every breaker's transitions (start_breakers).
  auto handle = caf::actor_cast<caf::actor>(sys.spawn<herd::history_recorder>(
      *config_.history, std::make_unique<history_store>(config_.history_db())));
  std::lock_guard<std::mutex> guard{mtx_};
  auto old = std::find(listeners_.begin(), listeners_.end(), history_recorder_);
  if (history_recorder_ && old != listeners_.end())
    listeners_.erase(old);
  history_recorder_ = handle;
  listeners_.push_back(handle);
  for (auto& source : observed_)
    caf::anon_send(source, subscribe_atom::value, handle);
  return handle;
}

caf::actor system_actors::start_dispatcher(caf::actor_system& sys) {
  auto handle = sys.spawn<herd::dispatcher>(
      config_.dispatcher_settings(), metrics_, failed_attempts::retry,
      caf::actor_cast<history_feed_actor>(history_recorder()), guard_, journal_);
  std::lock_guard<std::mutex> guard{mtx_};
  dispatcher_ = handle;
  return caf::actor_cast<caf::actor>(handle);
}

caf::actor system_actors::start_retry_scheduler(caf::actor_system& sys) {
  auto dispatcher = this->dispatcher();
  retry_scheduler_peers peers{caf::actor_cast<caf::actor>(dispatcher),
                              caf::actor_cast<dead_letter_queue_actor>(dead_letter_queue()),
                              caf::actor_cast<escalation_queue_actor>(escalation_queue())};
  auto handle = caf::actor_cast<caf::actor>(sys.spawn<herd::retry_scheduler>(
      config_.retry, config_.policies, std::move(peers), metrics_,
      config_.fallback_policy.empty() ? "default" : config_.fallback_policy, config_.fallbacks));
  // The services fallback tiers may name (add_service tells a running scheduler itself).
  for (auto& service : service_names())
    caf::anon_send(handle, caf::put_atom::value, service);
  // The one cycle: the dispatcher hands failed attempts to the scheduler it is connected to.
  caf::anon_send(dispatcher, connect_retry_atom::value, handle);
  std::lock_guard<std::mutex> guard{mtx_};
  retry_scheduler_ = handle;
  return handle;
}

caf::actor system_actors::start_breakers(caf::actor_system& sys) {
  auto handle =
      caf::actor_cast<caf::actor>(sys.spawn<breaker_registry>(config_.breakers, metrics_));
  // The scheduler holds a service's retries while its breaker is open and paces them after.
  caf::anon_send(handle, subscribe_atom::value, retry_scheduler());
  if (auto history = history_recorder())
    caf::anon_send(handle, subscribe_atom::value, history);
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [service, gate] : gates_) {
    caf::anon_send(handle, caf::put_atom::value, service, gate);
    caf::anon_send(handle, subscribe_atom::value, gate);
  }
  for (auto& listener : breaker_listeners_)
    caf::anon_send(handle, subscribe_atom::value, listener);
  breakers_ = handle;
  guard_->set_breakers(handle); // a new registry: new breakers
  return handle;
}

caf::actor system_actors::start_dead_letter_queue(caf::actor_system& sys) {
  // Each queue has its own connection to the same SQLite file (WAL mode).
  auto& dl = *config_.dead_letters;
  auto handle = caf::actor_cast<caf::actor>(
      sys.spawn<herd::dead_letter_queue>(dl, std::make_unique<dead_letter_store>(dl.db),
                                         caf::actor_cast<caf::actor>(dispatcher()), metrics_));
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [listener, threshold] : depth_listeners_)
    caf::anon_send(handle, subscribe_atom::value, listener, threshold);
  dead_letter_queue_ = handle;
  return handle;
}

caf::actor system_actors::start_escalation_queue(caf::actor_system& sys) {
  auto& dl = *config_.dead_letters;
  std::weak_ptr<system_actors> weak = weak_from_this();
  escalation_hook hook = [weak](const escalation& x) {
    auto self = weak.lock();
    if (!self)
      return;
    std::vector<caf::actor> listeners;
    {
      std::lock_guard<std::mutex> guard{self->mtx_};
      listeners = self->escalation_listeners_;
    }
    for (auto& listener : listeners)
      caf::anon_send(listener, esc_opened_atom::value, x.work.id, x.work.kind, x.work.pool,
                     x.reason);
  };
  auto handle = caf::actor_cast<caf::actor>(sys.spawn<herd::escalation_queue>(
      dl, std::make_unique<dead_letter_store>(dl.db),
      caf::actor_cast<dead_letter_queue_actor>(dead_letter_queue()),
      caf::actor_cast<caf::actor>(dispatcher()), metrics_, std::move(hook)));
  std::lock_guard<std::mutex> guard{mtx_};
  escalation_queue_ = handle;
  return handle;
}

caf::actor system_actors::start_health_monitor(caf::actor_system& sys) {
  // It tells the dispatcher to send it stuck-task reports, and isolates suspects there. On a
  // thread of its own: hung handlers that block every scheduler thread cannot blind it, and its
  // check timer wakes one thread, not the work-stealing pool (on the test coordinator it runs
  // with everything else, deterministically).
  auto on_test_coordinator = virtual_time::drives(sys);
  auto dispatcher = caf::actor_cast<caf::actor>(this->dispatcher());
  auto handle =
      observed(on_test_coordinator
                   ? caf::actor_cast<caf::actor>(sys.spawn<herd::health_monitor>(
                         config_.health, dispatcher, metrics_, board_))
                   : caf::actor_cast<caf::actor>(sys.spawn<herd::health_monitor, caf::detached>(
                         config_.health, dispatcher, metrics_, board_)));
  std::lock_guard<std::mutex> guard{mtx_};
  health_monitor_ = handle;
  return handle;
}

caf::actor system_actors::start_lock_manager(caf::actor_system& sys) {
  auto handle = sys.spawn<herd::lock_manager>(config_.locks, metrics_);
  auto revoker = sys.spawn(lock_revoker, handle);
  std::lock_guard<std::mutex> guard{mtx_};
  auto old = std::find(listeners_.begin(), listeners_.end(), lock_revoker_);
  if (lock_revoker_ && old != listeners_.end())
    listeners_.erase(old);
  lock_revoker_ = revoker;
  listeners_.push_back(revoker);
  for (auto& source : observed_)
    caf::anon_send(source, subscribe_atom::value, revoker);
  lock_manager_ = handle;
  return caf::actor_cast<caf::actor>(handle);
}

caf::actor system_actors::start_pools(caf::actor_system& sys) {
  supervisor_config pools_config;
  pools_config.name = "herd.pools";
  std::vector<child_spec> children;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    children = pool_supervisors_;
  }
  auto handle = observed(caf::actor_cast<caf::actor>(
      sys.spawn<supervisor>(pools_config, std::move(children), metrics_)));
  std::lock_guard<std::mutex> guard{mtx_};
  pools_supervisor_ = handle;
  return handle;
}

// -- agents -----------------------------------------------------------------------------------

child_spec system_actors::agent_spec(const std::string& pool, const agent_factory& make) {
  auto [name, index] = reserve_agent(pool);
  // The slot of the incarnation just started, read by the supervisor right after `start`.
  auto slot = std::make_shared<std::optional<uint64_t>>();
  child_spec spec;
  spec.id = name;
  spec.heartbeats = true;
  spec.start = [self = shared_from_this(), pool, name = name, index = index, make,
                slot](caf::actor_system& sys) {
    auto agent = make(sys);
    *slot = self->enroll(pool, name, agent);
    std::lock_guard<std::mutex> guard{self->mtx_};
    self->pools_[pool][index] = agent;
    return agent;
  };
  spec.board_slot = [slot](const caf::actor&) { return *slot; };
  return spec;
}

std::vector<caf::actor> system_actors::spawn_pool(const std::string& pool, size_t count,
                                                  agent_factory make) {
  // An autoscaled pool starts within its bounds.
  auto scaling = config_.pool_settings(pool).autoscaling;
  if (scaling)
    count = std::clamp(count, static_cast<size_t>(scaling->min_agents),
                       static_cast<size_t>(scaling->max_agents));
  std::vector<caf::actor> result;
  std::vector<child_spec> agents;
  for (size_t i = 0; i < count; ++i) {
    auto spec = agent_spec(pool, make);
    auto first = spec.start(sys_);
    result.push_back(first);
    agents.push_back(adopting(std::move(spec), std::move(first)));
  }
  // The pool's supervisor, a child of "herd.pools" (which restarts it with fresh agents).
  auto id = [&] {
    std::lock_guard<std::mutex> guard{mtx_};
    auto n = ++supervisors_per_pool_[pool];
    return "pool:" + pool + (n > 1 ? "#" + std::to_string(n) : "");
  }();
  auto pool_config = config_.supervision;
  pool_config.name = id;
  child_spec pool_spec;
  pool_spec.id = id;
  pool_spec.start = [self = shared_from_this(), pool_config, pool, make,
                     agents = std::move(agents)](caf::actor_system& sys) {
    auto supervisor_handle = self->observed(caf::actor_cast<caf::actor>(
        sys.spawn<supervisor>(pool_config, agents, self->metrics_,
                              caf::actor_cast<health_monitor_actor>(self->health_monitor()))));
    self->start_autoscaler(sys, pool, supervisor_handle, agents.size(), make);
    return supervisor_handle;
  };
  caf::actor pools;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    pool_supervisors_.push_back(pool_spec);
    pools = pools_supervisor_;
  }
  caf::anon_send(pools, add_child_atom::value, std::move(pool_spec));
  return result;
}

void system_actors::start_autoscaler(caf::actor_system& sys, const std::string& pool,
                                     const caf::actor& pool_supervisor, size_t initial,
                                     const agent_factory& make) {
  auto scaling = config_.pool_settings(pool).autoscaling;
  if (!scaling || !pool_supervisor)
    return;
  // Weak: the autoscaler lives as long as the pool's supervisor, and must not keep the tables
  // alive past `release`.
  auto weak = weak_from_this();
  pool_autoscaler_peers peers;
  peers.pool = pool;
  peers.supervisor = caf::actor_cast<supervisor_actor>(pool_supervisor);
  peers.dispatcher = [weak] {
    auto self = weak.lock();
    return self ? self->dispatcher() : dispatcher_actor{};
  };
  peers.make_agent = [weak, pool, make] {
    auto self = weak.lock();
    return self ? self->agent_spec(pool, make) : child_spec{};
  };
  peers.removed = [weak](const caf::actor& agent) {
    if (auto self = weak.lock())
      self->forget_agent(agent);
  };
  sys.spawn<pool_autoscaler>(*scaling, static_cast<int32_t>(initial), std::move(peers), metrics_);
}

void system_actors::forget_agent(const caf::actor& agent) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& entry : pools_)
    for (auto& member : entry.second)
      if (member == agent)
        member = nullptr;
}

caf::actor system_actors::add_agent(const std::string& pool, caf::actor agent) {
  auto [name, index] = reserve_agent(pool);
  auto slot = enroll(pool, name, agent);
  // Watched like a supervised agent; with no supervisor a suspect is isolated, not replaced.
  if (slot)
    caf::anon_send(health_monitor(), track_atom::value, agent, name, supervisor_actor{}, *slot);
  else
    caf::anon_send(health_monitor(), track_atom::value, agent, name, supervisor_actor{});
  std::lock_guard<std::mutex> guard{mtx_};
  pools_[pool][index] = agent;
  unsupervised_.push_back(agent);
  return agent;
}

std::string system_actors::add_remote_agent(const std::string& pool, const caf::actor& agent) {
  auto [name, index] = reserve_agent(pool);
  enroll(pool, name, agent, true);
  caf::anon_send(health_monitor(), track_atom::value, agent, name, supervisor_actor{});
  std::lock_guard<std::mutex> guard{mtx_};
  pools_[pool][index] = agent;
  return name;
}

void system_actors::remove_remote_agent(const caf::actor& agent, const std::string& name) {
  caf::anon_send(dispatcher(), leave_atom::value, agent);
  caf::anon_send(health_monitor(), untrack_atom::value, name);
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& entry : pools_)
    for (auto& member : entry.second)
      if (member == agent)
        member = nullptr;
}

std::optional<uint64_t> system_actors::enroll(const std::string& pool, const std::string& name,
                                              const caf::actor& agent, bool remote) {
  if (!agent)
    return std::nullopt;
  agent_settings settings;
  settings.name = name;
  settings.pool = pool;
  settings.heartbeat_target = health_monitor();
  settings.heartbeat_interval = config_.health.heartbeat_interval;
  settings.guard = guard_;
  settings.recycling = config_.pool_settings(pool).recycling;
  settings.locks = caf::actor_cast<caf::actor>(lock_manager());
  std::optional<uint64_t> slot;
  if (board_ && !remote) {
    try {
      slot = board_->acquire();
      settings.board = board_;
      settings.board_slot = *slot;
    } catch (const std::length_error&) {
      // A full board: this agent sends heartbeat messages instead.
    }
  }
  caf::anon_send(agent, setup_atom::value, std::move(settings));
  caf::anon_send(dispatcher(), join_atom::value, pool, agent, name, config_.concurrency_of(pool));
  return slot;
}

std::pair<std::string, size_t> system_actors::reserve_agent(const std::string& pool) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& members = pools_[pool];
  members.emplace_back();
  return {pool + "-" + std::to_string(members.size()), members.size() - 1};
}

void system_actors::add_service(const std::string& service, caf::actor handle,
                                std::optional<llm_prices> prices) {
  guard_->add_service(service, std::move(prices));
  caf::actor breakers;
  caf::actor gate;
  caf::actor scheduler;
  bool new_gate = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    scheduler = retry_scheduler_;
    auto& current = services_[service];
    if (current && current != handle)
      replaced_services_.emplace_back(service, current); // still the runtime's to stop
    current = handle;
    breakers = breakers_;
    auto& known = gates_[service];
    if (!known) {
      known = caf::actor_cast<caf::actor>(sys_.spawn<herd::admission_gate>(
          service, handle, config_.admission.policy_for(service), metrics_));
      new_gate = true;
    }
    gate = known;
  }
  // A replaced service keeps its gate, and with it what the gate learned about the service.
  if (new_gate) {
    caf::anon_send(breakers, caf::put_atom::value, service, gate);
    caf::anon_send(breakers, subscribe_atom::value, std::move(gate));
  } else
    caf::anon_send(gate, caf::put_atom::value, std::move(handle));
  if (scheduler)
    caf::anon_send(scheduler, caf::put_atom::value, service);
}

void system_actors::subscribe(const caf::actor& listener) {
  std::lock_guard<std::mutex> guard{mtx_};
  listeners_.push_back(listener);
  for (auto& source : observed_)
    caf::anon_send(source, subscribe_atom::value, listener);
}

void system_actors::subscribe_escalations(const caf::actor& listener) {
  std::lock_guard<std::mutex> guard{mtx_};
  escalation_listeners_.push_back(listener);
}

void system_actors::subscribe_breakers(const caf::actor& listener) {
  std::lock_guard<std::mutex> guard{mtx_};
  breaker_listeners_.push_back(listener);
  if (breakers_)
    caf::anon_send(breakers_, subscribe_atom::value, listener);
}

void system_actors::subscribe_dead_letter_depth(const caf::actor& listener, int64_t threshold) {
  std::lock_guard<std::mutex> guard{mtx_};
  depth_listeners_.emplace_back(listener, threshold);
  if (dead_letter_queue_)
    caf::anon_send(dead_letter_queue_, subscribe_atom::value, listener, threshold);
}

caf::actor system_actors::observed(caf::actor source) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& listener : listeners_)
    caf::anon_send(source, subscribe_atom::value, listener);
  observed_.push_back(source);
  return source;
}

std::vector<stop_target> system_actors::stop_targets() const {
  std::vector<stop_target> result;
  std::lock_guard<std::mutex> guard{mtx_};
  result.push_back({"herd.root", root_, true});
  if (memory_watchdog_)
    result.push_back({"memory_watchdog", memory_watchdog_, true});
  for (auto& [service, gate] : gates_)
    result.push_back({"admission " + service, gate, true});
  for (auto& [service, handle] : services_)
    result.push_back({"service " + service, handle, true});
  for (auto& [service, handle] : replaced_services_)
    result.push_back({"service " + service + " (replaced)", handle, true});
  // Stopped by the root in order (pools first, the dispatcher last); watched here.
  std::pair<const char*, caf::actor> system_actors[] = {
      {"herd.pools", pools_supervisor_},
      {"health_monitor", health_monitor_},
      {"locks", caf::actor_cast<caf::actor>(lock_manager_)},
      {"breakers", breakers_},
      {"retry_scheduler", retry_scheduler_},
      {"escalation_queue", escalation_queue_},
      {"dead_letter_queue", dead_letter_queue_},
      {"dispatcher", caf::actor_cast<caf::actor>(dispatcher_)},
      {"history", history_recorder_}};
  for (auto& [name, handle] : system_actors)
    result.push_back({name, handle, false});
  // Agents the caller added have no supervisor to stop them.
  auto unsupervised = [&](const caf::actor& agent) {
    return std::find(unsupervised_.begin(), unsupervised_.end(), agent) != unsupervised_.end();
  };
  for (auto& [pool, agents] : pools_)
    for (size_t i = 0; i < agents.size(); ++i)
      result.push_back(
          {"agent " + pool + "-" + std::to_string(i + 1), agents[i], unsupervised(agents[i])});
  return result;
}

void system_actors::release() {
  // The factories hold this object and the supervisors hold the factories: drop every handle,
  // so the terminated actors are freed (a detached health monitor's thread ends only then).
  guard_->set_breakers(nullptr); // drops the cached breakers
  if (journal_)
    journal_->close(); // the dispatcher is down: commit what it appended, release the lock
  std::lock_guard<std::mutex> guard{mtx_};
  pool_supervisors_.clear();
  listeners_.clear();
  escalation_listeners_.clear();
  breaker_listeners_.clear();
  observed_.clear();
  unsupervised_.clear();
  services_.clear();
  gates_.clear();
  replaced_services_.clear();
  pools_.clear();
  dispatcher_ = nullptr;
  lock_manager_ = nullptr;
  lock_revoker_ = nullptr;
  for (auto* handle :
       {&history_recorder_, &retry_scheduler_, &breakers_, &dead_letter_queue_, &escalation_queue_,
        &health_monitor_, &pools_supervisor_, &root_, &memory_watchdog_})
    *handle = nullptr;
}

// -- handles ----------------------------------------------------------------------------------

dispatcher_actor system_actors::dispatcher() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return dispatcher_;
}

caf::actor system_actors::retry_scheduler() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return retry_scheduler_;
}

caf::actor system_actors::admission_gate(const std::string& service) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = gates_.find(service);
  return i != gates_.end() ? i->second : caf::actor{};
}

std::vector<std::string> system_actors::service_names() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<std::string> names;
  for (auto& entry : services_)
    names.push_back(entry.first);
  return names;
}

caf::actor system_actors::breakers() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return breakers_;
}

lock_manager_actor system_actors::lock_manager() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return lock_manager_;
}

caf::actor system_actors::dead_letter_queue() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return dead_letter_queue_;
}

caf::actor system_actors::history_recorder() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return history_recorder_;
}

caf::actor system_actors::escalation_queue() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return escalation_queue_;
}

caf::actor system_actors::health_monitor() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return health_monitor_;
}

caf::actor system_actors::root() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return root_;
}

std::map<std::string, std::vector<caf::actor>> system_actors::pools() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return pools_;
}

} // namespace herd
