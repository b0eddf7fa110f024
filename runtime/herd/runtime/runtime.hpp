#pragma once

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "herd/admission/admission_stats.hpp"
#include "herd/admission/protocol.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/distribution/node_info.hpp"
#include "herd/http/http_client.hpp"
#include "herd/http/http_service_config.hpp"
#include "herd/locks/protocol.hpp"
#include "herd/runtime/runtime_config.hpp"
#include "herd/runtime/shutdown_report.hpp"
#include "herd/runtime/system_config.hpp"
#include "herd/supervision/health_view.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "herd/workflow/protocol.hpp"
#include "herd/workflow/workflow_definition.hpp"
#include "herd/workflow/workflow_record.hpp"

namespace herd {

class system_actors;
class ops_endpoint;
class call_guard;
class workflow_store;

/// The entry point: boots (or joins) an actor system, spawns herd's system actors under a root
/// supervisor and the user's agent pools under a supervisor each, watched by the health
/// monitor; takes tasks and hands back their outcomes, and shuts down without losing accepted
/// work.
///
///     herd::runtime rt{herd::runtime_config::load("herd.json")};
///     rt.spawn_pool<my_agent>("llm", 8);
///     auto result = rt.run(herd::task::make("t-1", "read_only", {{"q", "hi"}}, "llm"));
class runtime {
public:
  /// Boots its own actor system configured by `config`.
  explicit runtime(runtime_config config = {});
  /// Joins an actor system the caller owns; its config must have called `announce_types`.
  runtime(caf::actor_system& sys, runtime_config config);
  /// Shuts down (grace: the lease timeout) unless `shutdown` was called.
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  // -- agents ---------------------------------------------------------------------------------

  /// Spawns `count` agents of type `Agent` (constructed with `cfg, xs...`) into `pool`, named
  /// "<pool>-<n>", under a new supervisor "pool:<pool>" with the configured `supervision`
  /// policy, watched by the health monitor; returns their first incarnations (a restarted
  /// agent is a new actor: `pools()` has the current ones).
  template <class Agent, class... Ts>
  std::vector<caf::actor> spawn_pool(const std::string& pool, size_t count, const Ts&... xs) {
    return spawn_supervised(pool, count,
                            [xs...](caf::actor_system& sys) { return sys.spawn<Agent>(xs...); });
  }

  /// Like `spawn_pool`, with a factory that makes each agent (called again for every restart).
  std::vector<caf::actor> spawn_supervised(const std::string& pool, size_t count,
                                           std::function<caf::actor(caf::actor_system&)> make);

  /// Registers the rule `name` of fallback chains' rule tiers: spawns the pool `name` with
  /// `agents` (default 1) supervised agents that answer each task with `fn` (an exception fails
  /// the attempt, and the chain moves on). A caller may instead spawn its own pool under that
  /// name. Returns the agents.
  std::vector<caf::actor> add_rule(const std::string& name, std::function<outcome(const task&)> fn,
                                   size_t agents = 1);

  /// Adds an agent that the caller spawned to `pool`; it is watched (and isolated when it hangs)
  /// but not restarted, having no factory. Returns it.
  caf::actor add_agent(const std::string& pool, caf::actor agent);

  // -- services -------------------------------------------------------------------------------

  /// Puts the downstream service `service` (an actor answering `(call_atom, request) -> outcome`)
  /// behind circuit breakers; later registrations replace the actor behind the breakers.
  void add_service(const std::string& service, caf::actor handle);
  /// The breaker in front of `service` for calls by `agent` (one per service by default; one
  /// per agent and service when `breakers.scope` says so). Agents call it like the service.
  caf::expected<caf::actor> breaker_for(const std::string& service, const std::string& agent = "");
  /// The admission gate of `service` (behind its breakers, in front of the service; see
  /// `admission_gate`): `(admission_stats_atom) -> admission_stats` asks for its numbers.
  /// nullptr for a service never added.
  caf::actor admission(const std::string& service) const;
  /// The admission numbers of `service` (rate and its source, queued, admitted, rejected); none
  /// for a service never added.
  std::optional<admission_stats> admission_stats_of(const std::string& service);
  /// Starts a service reached over HTTP, as `config` says (an `http_service` on the shared
  /// `http()` client), and adds it like `add_service`; returns it. The services of the
  /// configuration's `"services"` object are started this way at boot.
  caf::actor add_http_service(const std::string& service, const http_service_config& config);
  /// The names of the services added so far (`add_service`, `add_http_service`, config),
  /// sorted.
  std::vector<std::string> services() const;
  /// The guard of agents' service calls (`agent::call`): the services and their prices, the
  /// breakers, the step and loop limits (`loop_guard`) and the cost budgets (`budgets`); shared
  /// by every agent and the dispatcher. `budgets_json(now)` lists the budgets.
  std::shared_ptr<call_guard> guard() const;
  /// The HTTP client every HTTP service of the runtime shares, configured by `http_client`:
  /// started on first use, stopped at shutdown (after the services).
  std::shared_ptr<http_client> http();

  // -- tasks ----------------------------------------------------------------------------------

  /// Submits a task; the future yields its final outcome, or the error that refused it
  /// (intake_full, unknown_pool, unknown_kind, shutting_down, invalid_task, intake_paused,
  /// budget_exhausted).
  std::future<caf::expected<outcome>> submit(task t);
  /// Hands a task over for an acknowledgement: blocks until the dispatcher accepted it (with a
  /// journal at durability "sync": until it is durable) and returns its id, without waiting for
  /// its outcome; or returns the error that refused it, with its reason (intake_full,
  /// unknown_pool, unknown_kind, shutting_down, invalid_task, intake_paused, budget_exhausted,
  /// journal_failed), or `timeout` after `timeout` (default 30 s). A duplicate id is
  /// acknowledged as well (it runs once).
  caf::expected<std::string> enqueue(task t, duration timeout = from_ms(30000));
  /// Like `enqueue`, without blocking: the future yields the id once acknowledged, or the error.
  std::future<caf::expected<std::string>> enqueue_async(task t);
  /// Submits a task and blocks until its final outcome, or until `timeout` (error `timeout`;
  /// the task keeps running).
  caf::expected<outcome> run(task t, duration timeout = from_ms(24LL * 3600 * 1000));
  /// Pauses intake (an operator's lever): submits are refused with `errc::intake_paused` and
  /// `reason` until `resume_intake()`; retries, replays and queued tasks go on, and
  /// /health/ready answers 503. Returns the dispatcher's stats.
  caf::expected<dispatcher_stats> pause_intake(const std::string& reason);
  /// Resumes intake after `pause_intake`; returns the dispatcher's stats.
  caf::expected<dispatcher_stats> resume_intake();
  /// Submits a task on behalf of `reply_to`, which receives its `outcome` (or a `caf::error`).
  /// Actors may instead `request(dispatcher(), ..., submit_atom::value, t)`.
  void submit(task t, const caf::actor& reply_to);

  // -- workflows (docs/workflows.md) ----------------------------------------------------------

  /// Registers (or replaces) a workflow definition and resumes its unfinished stored runs. An
  /// error names a bad field, a step whose kind the runtime has no failure policy for (give
  /// `definition.policies()` to `runtime_config::policies`), or says that workflows need a
  /// database (`workflows.db` or `dead_letters.db`).
  caf::error register_workflow(const workflow_definition& definition);
  /// Starts run `run_id` of `workflow` with `input` and returns it as it stands; a run id that
  /// exists returns that run instead (`workflow_errc` errors otherwise).
  caf::expected<workflow_record> start_workflow(const std::string& workflow,
                                                const std::string& run_id,
                                                const nlohmann::json& input = nullptr);
  /// Blocks until run `run_id` has ended or waits for a person, or until `timeout` (error
  /// `timeout`; the run goes on).
  caf::expected<workflow_record> await_workflow(const std::string& run_id,
                                                duration timeout = from_ms(24LL * 3600 * 1000));
  /// Run `run_id` as it stands.
  caf::expected<workflow_record> find_workflow(const std::string& run_id);
  /// Resumes run `run_id`: one waiting for a person takes `value` as the waiting step's result
  /// (its escalation is closed with `note`); an unfinished idle one continues. An ended run is
  /// an error (`not_resumable`).
  caf::expected<workflow_record> resume_workflow(const std::string& run_id,
                                                 const nlohmann::json& value = nullptr,
                                                 const std::string& note = "");
  /// Cancels an unfinished run (no compensations run); an ended run is an error.
  caf::expected<workflow_record> cancel_workflow(const std::string& run_id,
                                                 const std::string& why = "");
  /// Resumes every unfinished stored run not running yet; returns how many. An error names
  /// the runs that could not be (workflow not registered, a stored step the code lacks).
  caf::expected<int64_t> recover_workflows();
  /// The workflow driver; invalid when workflows have no database.
  workflow_driver_actor workflows() const { return workflows_; }

  // -- introspection --------------------------------------------------------------------------

  /// The dispatcher's accounting.
  dispatcher_stats stats();
  /// The health monitor's view of every agent: name, state (healthy, suspect, isolated,
  /// restarting, stopped), last heartbeat, phi, stuck reports; `to_json()` for output. Empty if
  /// the monitor does not answer.
  health_view health();
  /// The metrics of every herd actor.
  metrics_registry& metrics() { return *metrics_; }
  /// The configuration.
  const runtime_config& config() const { return config_; }
  /// The actor system.
  caf::actor_system& system() { return *sys_; }
  /// The embedded HTTP endpoint started at boot from the `"http"` config; nullptr when it is
  /// off (the default) or after shutdown.
  ops_endpoint* endpoint() const { return endpoint_.get(); }
  /// The dispatcher actor (a new one after a restart of the system actors).
  dispatcher_actor dispatcher() const;
  /// The retry scheduler actor (the dispatcher's failure sink).
  caf::actor retry_scheduler() const;
  /// The breaker registry; `(subscribe_atom, actor)` to it delivers every `breaker_transition`.
  caf::actor breakers() const;
  /// The lock manager (docs/locks.md); agents reach it through `agent::with_lock`.
  lock_manager_actor lock_manager() const;
  /// The dead-letter queue actor, if `dead_letters` is configured.
  caf::actor dead_letter_queue() const;
  /// The escalation queue actor, if `dead_letters` is configured.
  caf::actor escalation_queue() const;
  /// The history recorder, if the task history is on (`runtime_config::history_db()`); it
  /// answers `(history_flush_atom)` with the rows committed so far, once committed.
  caf::actor history_recorder() const;
  /// The health monitor; `(subscribe_atom, actor)` to it delivers
  /// `(sup_event_atom, supervision_event)` events (suspects, isolations, stuck tasks). It runs on a
  /// thread of its own, which ends when the last handle is gone: do not keep one past the runtime's
  /// shutdown.
  health_monitor_actor health_monitor() const;
  /// Sends `listener` the supervision events, `(sup_event_atom, supervision_event)` (suspect,
  /// isolated, stuck, restarted, abandoned, gave_up, ...), of the health monitor and every
  /// supervisor, including later incarnations; supervisors also send it `(restarted_atom, id, old,
  /// new)`.
  void subscribe_supervision(const caf::actor& listener);
  /// The root supervisor "herd.root" over the system actors and the pools' supervisors.
  supervisor_actor root_supervisor() const;
  /// The notifier that turns events into webhook notifications (docs/notifications.md); nullptr
  /// when no webhook is configured. `(notify_atom, kind, subject, text)` to it sends one.
  caf::actor notifier() const { return notifier_; }
  /// The shared metrics registry, for actors the caller spawns.
  const std::shared_ptr<metrics_registry>& shared_metrics() const { return metrics_; }
  /// The current incarnation of every agent, by pool name.
  std::map<std::string, std::vector<caf::actor>> pools() const;

  // -- nodes (docs/distribution.md) ----------------------------------------------------------

  /// The port of the node endpoint that workers dial (`node.publish`; `node.port` 0 picks
  /// one); 0 when it is not published.
  uint16_t node_port() const { return node_port_; }
  /// The worker nodes that joined, connected or lost, with their agents and last contact
  /// (wall-clock UTC); empty when the node endpoint is not published or does not answer.
  std::vector<node_info> nodes();

  // -- shutdown -------------------------------------------------------------------------------

  /// Stops intake, waits up to `grace` for accepted tasks to finish, hands back what did not
  /// (and keeps it in the dead-letter queue, if configured; with a journal at durability
  /// "sync" it stays unfinished in the journal instead and re-enters at the next start), then
  /// stops every herd actor, the
  /// unsupervised agents and the services added with `add_service`: an actor that is not down
  /// within `stop_timeout` (default 5 s) is killed, and one still up another `stop_timeout`
  /// later is abandoned; the report names both. So it returns within `grace + 2 *
  /// stop_timeout` plus the time to hand back and store. Idempotent; later calls return the
  /// first report.
  shutdown_report shutdown(duration grace, duration stop_timeout = from_ms(5000));

private:
  void boot();
  /// Spawns the node endpoint and publishes it as `config_.node` says; throws if it cannot.
  void start_node_endpoint();
  /// Starts the notification webhooks of `config_.notifications`: a service per webhook, the
  /// pool "herd.notify" and the notifier, subscribed to the event sources.
  void start_notifications();
  /// Spawns the workflow driver over `store`.
  void start_workflows(std::unique_ptr<workflow_store> store);
  /// Stores `unfinished` in the dead-letter queue (reason handed_back), if there is one;
  /// returns how many it stored.
  size_t keep_as_dead_letters(const std::vector<task>& unfinished, duration timeout);
  /// Stops every actor the runtime answers for; `report` says which had to be killed or
  /// abandoned.
  void stop_actors(shutdown_report& report, duration stop_timeout);

  runtime_config config_;
  std::unique_ptr<system_config> own_config_;
  std::unique_ptr<caf::actor_system> own_system_;
  caf::actor_system* sys_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<system_actors> actors_;
  std::unique_ptr<shutdown_report> final_report_;
  std::shared_ptr<http_client> http_;
  std::unique_ptr<ops_endpoint> endpoint_;
  workflow_driver_actor workflows_;
  caf::actor node_endpoint_; // published while the runtime runs, with `node.publish`
  caf::actor notifier_;      // with notification webhooks configured
  uint16_t node_port_ = 0;
};

} // namespace herd
