#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/admission/admission_config.hpp"
#include "herd/breakers/breaker_registry_config.hpp"
#include "herd/budgets/budget_config.hpp"
#include "herd/core/time.hpp"
#include "herd/dead_letters/dead_letter_queue_config.hpp"
#include "herd/degradation/fallback_config.hpp"
#include "herd/degradation/loop_guard.hpp"
#include "herd/dispatch/dispatcher_config.hpp"
#include "herd/dispatch/recycle_policy.hpp"
#include "herd/distribution/node_config.hpp"
#include "herd/history/history_config.hpp"
#include "herd/http/http_client_config.hpp"
#include "herd/http/http_service_config.hpp"
#include "herd/journal/journal_config.hpp"
#include "herd/notify/notifications_config.hpp"
#include "herd/locks/locks_config.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/retry/retry_scheduler_config.hpp"
#include "herd/runtime/ops_endpoint_config.hpp"
#include "herd/supervision/autoscaling_config.hpp"
#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/memory_watchdog_config.hpp"
#include "herd/supervision/supervisor_config.hpp"
#include "herd/workflow/workflow_config.hpp"

namespace herd {

class json_reader;

/// Settings of one agent pool.
struct pool_config {
  /// Tasks one agent of the pool runs at once; 0 = the dispatcher's default. Default: 0.
  int32_t concurrency = 0;
  /// Sizes the pool by its queue (docs/pools.md); none = a fixed size. Default: none.
  std::optional<autoscaling_config> autoscaling;
  /// When the pool's agents are replaced by fresh ones (max_tasks, max_age, resident bytes).
  /// Default: never.
  recycle_policy recycling;
};

/// Everything a `herd::runtime` is configured with. Every default is written here, once.
///
/// JSON form (all keys optional):
/// {"log_level": "info", "threads": 0, "dispatcher": {...}, "retry": {...}, "breakers": {...},
///  "admission": {"defaults": {...}, "services": {"NAME": {...}}},
///  "dead_letters": {"db": FILE, ...} or null, "history": {"db": FILE, "retention": "30d"} or
///  false, "health": {...}, "supervision": {...},
///  "pools": {"NAME": {"concurrency": N, "autoscaling": {...}, "recycling": {...}}},
///  "memory": {"soft_limit_bytes": 0, "hard_limit_bytes": 0, "check_interval_ms": 1000},
///  "http_client": {...}, "services": {"NAME": {"type": "openai", "base_url": URL, ...}},
///  "http": {"listen": "127.0.0.1:9464", "token_env": "HERD_OPS_TOKEN"},
///  "policies": {"KIND": {"preset": "read_only", ...}}, "fallback_policy": "",
///  "budgets": {...}, "fallbacks": {"KIND": {"tiers": [...], ...}},
///  "loop_guard": {"max_steps": 50, "warn_repeats": 3, "stop_repeats": 5},
///  "journal": {"file": FILE, "durability": "none"|"sync", "retention": {...}, "max_batch": N},
///  "workflows": {"db": FILE, "max_steps": 1000, ...},
///  "node": {"publish": false, "host": "127.0.0.1", "port": 0, "secret_env": "", ...},
///  "notifications": {"webhooks": [{"url": URL, "events": [...], ...}], "agents": 2},
///  "locks": {"lease_ms": 30000, "max_waiters": 64, "wait_timeout_ms": 10000}}
struct runtime_config {
  /// spdlog level: trace, debug, info, warn, error, critical or off. Default: "info".
  std::string log_level = "info";
  /// Scheduler threads; 0 = CAF's default (max(cores, 4)). Default: 0.
  int32_t threads = 0;
  /// The dispatcher's settings.
  dispatcher_config dispatcher;
  /// The retry scheduler's settings (budgets, pacing, Retry-After spreading).
  retry_scheduler_config retry;
  /// The circuit breakers' settings: scope, default policy, policies per service.
  breaker_registry_config breakers;
  /// Admission control of every service (rates configured, published or learned; queue;
  /// concurrency): a default policy and policies per service. Default: on, learning.
  admission_config admission;
  /// The durable dead-letter and escalation queues (a SQLite file); none = tasks that would be
  /// dead-lettered or escalated end as failed instead. Default: none.
  std::optional<dead_letter_queue_config> dead_letters;
  /// The task history for `herd report` and `GET /api/report` (settled tasks, recoveries);
  /// none (`"history": false`) = not recorded. Default: on, in the dead-letter database when
  /// `dead_letters` is configured (see `history_db`).
  std::optional<history_config> history = history_config{};
  /// How the health monitor watches agents (heartbeat interval, detector); every agent of a
  /// pool is watched.
  health_monitor_config health;
  /// The policy of every pool's supervisor (strategy, restart intensity, restart backoff); its
  /// name becomes "pool:<pool>". Default: one_for_one, 3 restarts in 10 s, backoff 100 ms-10 s.
  supervisor_config supervision;
  /// The HTTP client every HTTP service of the runtime shares (connections per host, default
  /// timeouts, response size limit).
  http_client_config http_client;
  /// Services reached over HTTP, by name: the runtime starts each at boot (an `http_service`
  /// behind its breaker, as `add_service` would). Default: none.
  std::map<std::string, http_service_config> services;
  /// The embedded HTTP endpoint (/metrics, health, /api/state, the dashboard), started at boot
  /// when `listen` is set. Default: off.
  ops_endpoint_config http;
  /// Per-pool settings by pool name.
  std::map<std::string, pool_config> pools;
  /// The process-level memory watchdog (docs/pools.md). Default: off.
  memory_watchdog_config memory;
  /// Failure policies by task kind; the presets (default, read_only, notification, mutation,
  /// payment) are always present.
  std::map<std::string, failure_policy> policies;
  /// The entry of `policies` that task kinds without their own entry take; empty = a submit of
  /// such a kind is refused with `errc::unknown_kind`, so a misspelled kind is never retried
  /// by a policy nobody chose. Default: empty.
  std::string fallback_policy;
  /// Cost budgets (runtime, pools, task) and the price table (see docs/budgets.md). Read and
  /// validated; wired by #15's next step. Default: none.
  budget_config budgets;
  /// Fallback chains by task kind (see docs/degradation.md). In the JSON every service tier
  /// names an entry of `services`; chains set from C++ may also name services given to
  /// `runtime::add_service` (a task reaching a tier whose service the runtime does not have
  /// ends, naming it). Default: none.
  fallback_config fallbacks;
  /// Step limit and loop detection of every task's service calls (JSON key "loop_guard"). Read
  /// and validated; wired by #15's next step. Default: 50 steps, warn at 3 repeats, stop at 5.
  loop_guard::limits loop_limits;
  /// The task journal (docs/durability.md): with durability "sync" accepted tasks survive a
  /// crash of the process or of the dispatcher. Default: durability "none" (memory only).
  journal_config journal;
  /// Distribution over CAF's io middleman (docs/distribution.md): the coordinator's node
  /// endpoint (off unless `node.publish`), the secret workers present, and the middleman
  /// heartbeat and connection timeout set identically on every node. Default: not published,
  /// heartbeats every 1 s, connections dropped after 5 s of silence.
  node_config node;
  /// Notification webhooks (docs/notifications.md): escalations, dead-letter depth, isolations,
  /// exhausted budgets and long-open breakers POSTed to URLs. Default: none (nothing sent).
  notifications_config notifications;
  /// The lock manager's defaults (docs/locks.md): the lease of a grant, the waiters one lock
  /// may have, how long a request waits. Default: 30 s, 64, 10 s.
  locks_config locks;

  /// A configuration with every default, including the preset policies.
  runtime_config();

  /// The policy for a task kind: its own entry, else the fallback's, else "default" (a kind
  /// that `accepts_kind` refuses never reaches a policy).
  const failure_policy& policy_for(const std::string& kind) const;
  /// True if tasks of `kind` may be submitted: it has a policy, or a fallback is set.
  bool accepts_kind(const std::string& kind) const;
  /// The dispatcher's settings with the kinds it accepts (all, when a fallback is set) and the
  /// kinds with a fallback chain (and their first tier).
  dispatcher_config dispatcher_settings() const;
  /// Durable workflows (see docs/workflows.md): their store, caps and poll interval. They run
  /// when there is a database: `workflows.db`, else `dead_letters.db`.
  workflow_config workflows;
  /// The file the task history is recorded in: `history.db`, else `dead_letters.db`; empty
  /// when history is off or has no file (then nothing is recorded).
  std::string history_db() const;
  /// The task journal's file: `journal.file`, else beside `dead_letters.db`; empty when neither
  /// is set.
  std::string journal_file() const;
  /// The file workflow runs are stored in: `workflows.db`, else `dead_letters.db`; empty when
  /// there is neither (then the runtime runs no workflows).
  std::string workflows_db() const;
  /// The concurrency of a pool's agents.
  int32_t concurrency_of(const std::string& pool) const;
  /// The settings of `pool` (every default for a pool not configured).
  pool_config pool_settings(const std::string& pool) const;

  /// Reads a configuration; throws `config_error` naming the JSON path of a bad field.
  static runtime_config from_json(const nlohmann::json& document);
  /// Reads a configuration file; throws `config_error` (path "" for unreadable or invalid JSON).
  /// A relative `dead_letters.db` or `history.db` is taken relative to the file's folder, not
  /// the working one.
  static runtime_config load(const std::string& file);
  /// The JSON form, with every default spelled out.
  nlohmann::json to_json() const;
};

} // namespace herd
