#include "herd/runtime/runtime.hpp"

#include <stdexcept>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

#include "ask.hpp"
#include "distribution/node_endpoint.hpp"
#include "distribution/node_transport.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/virtual_time.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/degradation/call_guard.hpp"
#include "herd/degradation/rule_agent.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/distribution/node_registry.hpp"
#include "herd/distribution/protocol.hpp"
#include "herd/http/http_service.hpp"
#include "herd/notify/notification_router.hpp"
#include "herd/notify/protocol.hpp"
#include "herd/runtime/ops_endpoint.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/workflow/workflow_driver.hpp"
#include "herd/workflow/workflow_errc.hpp"
#include "notify/notifier.hpp"
#include "notify/webhook_agent.hpp"
#include "notify/webhook_codec.hpp"
#include "shutdown_reaper.hpp"
#include "stop_roster.hpp"
#include "system_actors.hpp"

namespace herd {

runtime::runtime(runtime_config config)
    : config_(std::move(config)), own_config_(std::make_unique<system_config>(config_)),
      own_system_(std::make_unique<caf::actor_system>(*own_config_)), sys_(own_system_.get()) {
  boot();
}

runtime::runtime(caf::actor_system& sys, runtime_config config)
    : config_(std::move(config)), sys_(&sys) {
  boot();
}

runtime::~runtime() {
  shutdown(config_.dispatcher.lease_timeout);
}

void runtime::boot() {
  set_log_level(config_.log_level);
  metrics_ = std::make_shared<metrics_registry>();
  actors_ = std::make_shared<system_actors>(*sys_, config_, metrics_);
  actors_->boot();
  // After the dead-letter store: a file it refuses (newer, foreign) is never written here.
  if (auto file = config_.workflows_db(); !file.empty()) {
    try {
      start_workflows(std::make_unique<workflow_store>(file));
    } catch (...) {
      shutdown(duration{0}); // nothing was accepted yet: stop what boot started
      throw;
    }
  }
  for (auto& [name, service] : config_.services)
    add_http_service(name, service);
  if (config_.notifications.enabled())
    start_notifications();
  if (config_.node.publish) {
    try {
      start_node_endpoint();
    } catch (...) {
      shutdown(duration{0}); // nothing was accepted yet: stop what boot started
      throw;
    }
  }
  if (config_.http.enabled()) {
    endpoint_ = std::make_unique<ops_endpoint>(*this, config_.http);
    try {
      endpoint_->start();
    } catch (...) {
      shutdown(duration{0}); // nothing was accepted yet: stop what boot started
      throw;
    }
  }
  component_logger("runtime")->debug("runtime started");
}

void runtime::start_notifications() {
  auto& config = config_.notifications;
  duration longest{0};
  for (auto& hook : config.webhooks) {
    std::shared_ptr<const http_codec> codec = std::make_shared<webhook_codec>(hook.endpoint());
    auto handle = caf::actor_cast<caf::actor>(
        sys_->spawn<http_service>(hook.service_name(), http(), codec, metrics_));
    actors_->add_service(hook.service_name(), handle);
    longest = std::max(longest, hook.connect_timeout + hook.timeout);
  }
  // The webhook's own timeouts end a hanging POST; the agent's call waits a second longer.
  auto call_timeout = longest + from_ms(1000);
  spawn_supervised("herd.notify", static_cast<size_t>(config.agents),
                   [call_timeout](caf::actor_system& sys) {
                     return caf::actor_cast<caf::actor>(sys.spawn<webhook_agent>(call_timeout));
                   });
  std::weak_ptr<system_actors> weak = actors_;
  notifier_peers peers;
  peers.dispatcher = [weak] {
    auto actors = weak.lock();
    return actors ? caf::actor_cast<caf::actor>(actors->dispatcher()) : caf::actor{};
  };
  peers.dead_letters = [weak] {
    auto actors = weak.lock();
    return actors ? actors->dead_letter_queue() : caf::actor{};
  };
  notifier_ = sys_->spawn<herd::notifier>(config, std::move(peers), metrics_);
  actors_->subscribe(notifier_); // isolations
  actors_->subscribe_breakers(notifier_);
  actors_->subscribe_escalations(notifier_);
  for (auto threshold : notification_router{config}.depth_thresholds())
    actors_->subscribe_dead_letter_depth(notifier_, threshold);
  guard()->on_crossing([target = notifier_](const std::string& subject,
                                            const budget_crossing& crossing,
                                            const std::string& line) {
    if (crossing.level == budget_level::hard)
      caf::anon_send(target, notify_atom::value, to_string(notification_kind::budget_exhausted),
                     subject, line);
  });
}

std::vector<caf::actor>
runtime::spawn_supervised(const std::string& pool, size_t count,
                          std::function<caf::actor(caf::actor_system&)> make) {
  return actors_->spawn_pool(pool, count, std::move(make));
}

std::vector<caf::actor> runtime::add_rule(const std::string& name,
                                          std::function<outcome(const task&)> fn, size_t agents) {
  return spawn_supervised(name, agents,
                          [fn](caf::actor_system& sys) { return sys.spawn<rule_agent>(fn); });
}

caf::actor runtime::add_agent(const std::string& pool, caf::actor agent) {
  return actors_->add_agent(pool, std::move(agent));
}

void runtime::add_service(const std::string& service, caf::actor handle) {
  actors_->add_service(service, std::move(handle));
}

caf::actor runtime::add_http_service(const std::string& service,
                                     const http_service_config& config) {
  std::shared_ptr<const http_codec> codec = config.make_codec(metrics_);
  auto handle =
      caf::actor_cast<caf::actor>(sys_->spawn<http_service>(service, http(), codec, metrics_));
  actors_->add_service(service, handle, config.prices);
  return handle;
}

std::shared_ptr<http_client> runtime::http() {
  if (!http_)
    http_ = std::make_shared<http_client>(config_.http_client);
  return http_;
}

caf::expected<caf::actor> runtime::breaker_for(const std::string& service,
                                               const std::string& agent) {
  return detail::ask<caf::actor>(*sys_, breakers(), caf::infinite, caf::get_atom::value, agent,
                                 service);
}

caf::actor runtime::admission(const std::string& service) const {
  return actors_->admission_gate(service);
}

std::optional<admission_stats> runtime::admission_stats_of(const std::string& service) {
  auto gate = admission(service);
  if (!gate)
    return std::nullopt;
  auto result =
      detail::ask<admission_stats>(*sys_, gate, caf::infinite, admission_stats_atom::value);
  if (!result)
    return std::nullopt;
  return std::move(*result);
}

std::future<caf::expected<outcome>> runtime::submit(task t) {
  return detail::request_reply<outcome>(*sys_, dispatcher(), caf::infinite, submit_atom::value,
                                        std::move(t));
}

caf::expected<std::string> runtime::enqueue(task t, duration timeout) {
  auto result =
      detail::ask<std::string>(*sys_, dispatcher(), timeout, enqueue_atom::value, std::move(t));
  if (!result && result.error() == caf::sec::request_timeout)
    return caf::make_error(errc::timeout, "no acknowledgement within the timeout");
  return result;
}

std::future<caf::expected<std::string>> runtime::enqueue_async(task t) {
  return detail::request_reply<std::string>(*sys_, dispatcher(), caf::infinite, enqueue_atom::value,
                                            std::move(t));
}

caf::expected<outcome> runtime::run(task t, duration timeout) {
  auto result =
      detail::ask<outcome>(*sys_, dispatcher(), timeout, submit_atom::value, std::move(t));
  if (!result && result.error() == caf::sec::request_timeout)
    return caf::make_error(errc::timeout, "no outcome within the timeout");
  return result;
}

void runtime::submit(task t, const caf::actor& reply_to) {
  caf::send_as(reply_to, dispatcher(), submit_atom::value, std::move(t));
}

dispatcher_stats runtime::stats() {
  auto result = detail::ask<dispatcher_stats>(*sys_, dispatcher(), caf::infinite,
                                              dispatcher_stats_atom::value);
  return result ? *result : dispatcher_stats{};
}

caf::expected<dispatcher_stats> runtime::pause_intake(const std::string& reason) {
  return detail::ask<dispatcher_stats>(*sys_, dispatcher(), caf::infinite, intake_atom::value, true,
                                       reason);
}

caf::expected<dispatcher_stats> runtime::resume_intake() {
  return detail::ask<dispatcher_stats>(*sys_, dispatcher(), caf::infinite, intake_atom::value,
                                       false, std::string{});
}

std::shared_ptr<call_guard> runtime::guard() const {
  return actors_->guard();
}

std::vector<std::string> runtime::services() const {
  return actors_->service_names();
}

health_view runtime::health() {
  auto result = detail::ask<health_view>(*sys_, caf::actor_cast<caf::actor>(health_monitor()),
                                         caf::infinite, health_atom::value);
  return result ? *result : health_view{};
}

dispatcher_actor runtime::dispatcher() const {
  return actors_->dispatcher();
}

caf::actor runtime::retry_scheduler() const {
  return actors_->retry_scheduler();
}

caf::actor runtime::breakers() const {
  return actors_->breakers();
}

lock_manager_actor runtime::lock_manager() const {
  return actors_->lock_manager();
}

caf::actor runtime::dead_letter_queue() const {
  return actors_->dead_letter_queue();
}

caf::actor runtime::history_recorder() const {
  return actors_->history_recorder();
}

caf::actor runtime::escalation_queue() const {
  return actors_->escalation_queue();
}

health_monitor_actor runtime::health_monitor() const {
  return caf::actor_cast<health_monitor_actor>(actors_->health_monitor());
}

void runtime::subscribe_supervision(const caf::actor& listener) {
  actors_->subscribe(listener);
}

supervisor_actor runtime::root_supervisor() const {
  return caf::actor_cast<supervisor_actor>(actors_->root());
}

std::map<std::string, std::vector<caf::actor>> runtime::pools() const {
  return actors_->pools();
}

shutdown_report runtime::shutdown(duration grace, duration stop_timeout) {
  if (final_report_)
    return *final_report_;
  auto log = component_logger("runtime");
  shutdown_report report;
  auto dispatcher = this->dispatcher();
  if (auto drained = detail::ask<dispatcher_stats>(*sys_, dispatcher, grace, drain_atom::value)) {
    report.stats = *drained;
    report.drained = true;
  } else {
    // Waiting retries live in the scheduler; queued and leased tasks in the dispatcher.
    auto hand_back = [&](const auto& holder) {
      if (auto unfinished =
              detail::ask<std::vector<task>>(*sys_, holder, caf::infinite, handback_atom::value))
        for (auto& t : *unfinished)
          report.unfinished.push_back(std::move(t));
    };
    hand_back(retry_scheduler());
    hand_back(dispatcher);
    report.stats = stats();
    if (config_.journal.durable()) {
      log->warn("shutdown: handed back {} unfinished tasks; they stay in the journal {} and "
                "re-enter at the next start",
                report.unfinished.size(), config_.journal_file());
    } else {
      report.dead_lettered = keep_as_dead_letters(report.unfinished, stop_timeout);
      log->warn("shutdown: handed back {} unfinished tasks ({} kept in the dead-letter queue)",
                report.unfinished.size(), report.dead_lettered);
    }
  }
  endpoint_.reset(); // stops serving before the actors it asks go down
  if (node_endpoint_) {
    // No worker joins a runtime going down; the workers' agents stay theirs to stop.
    node_transport::unpublish(*sys_, node_endpoint_, node_port_, config_.node);
    caf::anon_send_exit(node_endpoint_, caf::exit_reason::user_shutdown);
    node_endpoint_ = nullptr;
    node_port_ = 0;
  }
  if (workflows_) {
    // Its runs are stored; a step in flight runs again after the next start.
    caf::anon_send_exit(workflows_, caf::exit_reason::user_shutdown);
    workflows_ = nullptr;
  }
  if (notifier_) {
    // Notifications still pending are tasks: the drain above settled or handed them back.
    guard()->on_crossing(nullptr);
    caf::anon_send_exit(notifier_, caf::exit_reason::user_shutdown);
    notifier_ = nullptr;
  }
  stop_actors(report, stop_timeout);
  if (http_)
    http_->stop(); // the services are down: nothing waits for an exchange any more
  actors_->release();
  final_report_ = std::make_unique<shutdown_report>(report);
  return report;
}

size_t runtime::keep_as_dead_letters(const std::vector<task>& unfinished, duration timeout) {
  auto queue = dead_letter_queue();
  if (!queue)
    return 0;
  // All at once, so the queue stores them in a few group commits.
  std::vector<std::future<caf::expected<caf::ok_atom>>> acks;
  for (auto& t : unfinished)
    acks.push_back(detail::request_reply<caf::ok_atom>(
        *sys_, queue, timeout, dead_letter_atom::value, t, dead_letter_reason::handed_back));
  size_t stored = 0;
  for (size_t i = 0; i < acks.size(); ++i) {
    auto ack = detail::wait_reply(*sys_, acks[i]);
    if (ack)
      ++stored;
    else
      component_logger("runtime")->error("shutdown: task {} was not stored as a dead letter: {}",
                                         unfinished[i].id, sys_->render(ack.error()));
  }
  return stored;
}

void runtime::stop_actors(shutdown_report& report, duration stop_timeout) {
  auto log = component_logger("runtime");
  auto roster = std::make_shared<stop_roster>();
  auto reaper = sys_->spawn(shutdown_reaper, actors_->stop_targets(), roster, stop_timeout);
  // The reaper always answers, after at most twice the stop time.
  detail::ask<caf::ok_atom>(*sys_, reaper, caf::infinite, reap_atom::value);
  report.killed = roster->killed();
  report.still_running = roster->still_running();
  auto names = [](const std::vector<std::string>& xs) {
    std::string result;
    for (auto& x : xs)
      result += (result.empty() ? "" : ", ") + x;
    return result;
  };
  if (!report.killed.empty())
    log->warn("shutdown: killed {} actors that did not stop within {} ms: {}", report.killed.size(),
              to_ms(stop_timeout), names(report.killed));
  if (!report.still_running.empty()) {
    log->error("shutdown: abandoned {} actors still running after the kill: {}",
               report.still_running.size(), names(report.still_running));
    // They may never end; the system this runtime owns must not wait for them when it ends.
    if (own_system_)
      own_system_->await_actors_before_shutdown(false);
  }
}

// -- nodes --------------------------------------------------------------------------------------

void runtime::start_node_endpoint() {
  auto& node = config_.node;
  node_registry registry{node.app_id, node.secret()};
  node_endpoint_hooks hooks;
  std::weak_ptr<system_actors> weak = actors_;
  hooks.enroll = [weak](const std::string& pool, const caf::actor& agent) {
    auto actors = weak.lock();
    return actors ? actors->add_remote_agent(pool, agent) : std::string{};
  };
  hooks.dismiss = [weak](const caf::actor& agent, const std::string& name) {
    if (auto actors = weak.lock())
      actors->remove_remote_agent(agent, name);
  };
  hooks.dispatcher = [weak] {
    auto actors = weak.lock();
    return actors ? actors->dispatcher() : dispatcher_actor{};
  };
  auto handle = caf::actor_cast<caf::actor>(
      sys_->spawn<node_endpoint>(std::move(registry), std::move(hooks)));
  auto port = node_transport::publish(*sys_, handle, node);
  if (!port) {
    caf::anon_send_exit(handle, caf::exit_reason::user_shutdown);
    throw std::runtime_error("cannot publish the node endpoint on " + node.host + ":" +
                             std::to_string(node.port) + ": " + sys_->render(port.error()));
  }
  node_endpoint_ = handle;
  node_port_ = *port;
  component_logger("runtime")->info("node endpoint listening on {}:{}{}{}", node.host, node_port_,
                                    node.tls.enabled() ? " (mutual TLS)" : "",
                                    node.secret_env.empty() ? " (no shared secret)" : "");
}

std::vector<node_info> runtime::nodes() {
  if (!node_endpoint_)
    return {};
  auto result = detail::ask<std::vector<node_info>>(
      *sys_, node_endpoint_, from_ms(10000), nodes_atom::value,
      node_credentials{config_.node.app_id, config_.node.secret()});
  return result ? std::move(*result) : std::vector<node_info>{};
}

// -- workflows --------------------------------------------------------------------------------

void runtime::start_workflows(std::unique_ptr<workflow_store> store) {
  std::weak_ptr<system_actors> weak = actors_;
  workflow_peers peers;
  peers.dispatcher = [weak] {
    auto actors = weak.lock();
    return actors ? actors->dispatcher() : dispatcher_actor{};
  };
  peers.escalations = [weak] {
    auto actors = weak.lock();
    return actors ? caf::actor_cast<escalation_queue_actor>(actors->escalation_queue())
                  : escalation_queue_actor{};
  };
  if (config_.dead_letters) {
    // Read on the driver's thread only: resolutions `herd escalations resolve` wrote.
    auto file = config_.dead_letters->db;
    auto reader = std::make_shared<std::unique_ptr<dead_letter_store>>();
    peers.find_escalation = [file, reader](const std::string& id) -> std::optional<escalation> {
      if (!*reader)
        *reader =
            std::make_unique<dead_letter_store>(file, dead_letter_store::open_mode::read_only);
      return (*reader)->get_escalation(id);
    };
  }
  workflows_ =
      sys_->spawn<workflow_driver>(config_.workflows, std::move(store), std::move(peers), metrics_);
}

namespace {

caf::error no_workflows() {
  return caf::make_error(workflow_errc::invalid_request,
                         "workflows need a database: set workflows.db or dead_letters.db");
}

} // namespace

caf::error runtime::register_workflow(const workflow_definition& definition) {
  if (!workflows_)
    return no_workflows();
  try {
    definition.validate();
  } catch (const config_error& e) {
    return caf::make_error(workflow_errc::invalid_request,
                           "workflow \"" + definition.name + "\": " + e.what());
  }
  for (auto& step : definition.steps)
    if (!step.human && !config_.accepts_kind(step.kind))
      return caf::make_error(workflow_errc::invalid_request,
                             "workflow \"" + definition.name + "\" step \"" + step.name +
                                 "\": the runtime has no failure policy for kind \"" + step.kind +
                                 "\" (put definition.policies() into runtime_config::policies)");
  auto done =
      detail::ask<bool>(*sys_, workflows_, caf::infinite, wf_register_atom::value, definition);
  return done ? caf::error{} : done.error();
}

caf::expected<workflow_record> runtime::start_workflow(const std::string& workflow,
                                                       const std::string& run_id,
                                                       const nlohmann::json& input) {
  if (!workflows_)
    return no_workflows();
  return detail::ask<workflow_record>(*sys_, workflows_, caf::infinite, wf_start_atom::value,
                                      workflow, run_id, input.dump());
}

caf::expected<workflow_record> runtime::await_workflow(const std::string& run_id,
                                                       duration timeout) {
  if (!workflows_)
    return no_workflows();
  auto result =
      detail::ask<workflow_record>(*sys_, workflows_, timeout, wf_await_atom::value, run_id);
  if (!result && result.error() == caf::sec::request_timeout)
    return caf::make_error(errc::timeout, "run " + run_id + " did not end within the timeout");
  return result;
}

caf::expected<workflow_record> runtime::find_workflow(const std::string& run_id) {
  if (!workflows_)
    return no_workflows();
  return detail::ask<workflow_record>(*sys_, workflows_, caf::infinite, wf_get_atom::value, run_id);
}

caf::expected<workflow_record> runtime::resume_workflow(const std::string& run_id,
                                                        const nlohmann::json& value,
                                                        const std::string& note) {
  if (!workflows_)
    return no_workflows();
  return detail::ask<workflow_record>(*sys_, workflows_, caf::infinite, wf_resume_atom::value,
                                      run_id, value.dump(), note);
}

caf::expected<workflow_record> runtime::cancel_workflow(const std::string& run_id,
                                                        const std::string& why) {
  if (!workflows_)
    return no_workflows();
  return detail::ask<workflow_record>(*sys_, workflows_, caf::infinite, wf_cancel_atom::value,
                                      run_id, why);
}

caf::expected<int64_t> runtime::recover_workflows() {
  if (!workflows_)
    return no_workflows();
  return detail::ask<int64_t>(*sys_, workflows_, caf::infinite, wf_recover_atom::value);
}

} // namespace herd
