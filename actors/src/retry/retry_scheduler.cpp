#include "herd/retry/retry_scheduler.hpp"
#include "herd/dispatch/protocol.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <spdlog/logger.h>

#include "herd/core/atoms.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/settlement.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/retry/protocol.hpp"

namespace herd {

retry_scheduler::retry_scheduler(caf::actor_config& cfg, retry_scheduler_config config,
                                 std::map<std::string, failure_policy> policies,
                                 retry_scheduler_peers peers,
                                 std::shared_ptr<metrics_registry> metrics,
                                 std::string fallback_policy, fallback_config fallbacks)
    : retry_scheduler_actor::base(cfg), log_(component_logger("retry_scheduler")),
      peers_(std::move(peers)), lanes_(config, std::move(policies), std::move(metrics),
                                       std::move(fallback_policy), std::move(fallbacks)) {
  if (!peers_.dispatcher)
    throw std::invalid_argument("a retry scheduler needs a dispatcher to send retries to");
  if (!peers_.dead_letter_queue)
    log_->info("no dead-letter queue: exhausted and non-retryable tasks end as failed");
  if (!peers_.escalation_queue)
    log_->info("no escalation queue: tasks that need a person end as failed");
}

void retry_scheduler::on_exit() {
  peers_ = retry_scheduler_peers{};
}

retry_scheduler::behavior_type retry_scheduler::make_behavior() {
  return {
      [this](retry_atom, task& t) { on_attempt_failed(std::move(t)); },
      [this](route_atom, task& t) {
        lanes_.route(std::move(t), clock().now());
        act();
      },
      [this](caf::put_atom, const std::string& service) { lanes_.know_service(service); },
      [this](const breaker_transition& x) { on_transition(x); },
      [this](observe_atom, const std::string& service, int32_t successes, int32_t failures) {
        on_observe(service, successes, failures);
      },
      [this](tick_atom, uint64_t generation) { on_tick(generation); },
      [this](handback_atom) { return on_handback(); },
  };
}

// -- messages to calls ----------------------------------------------------------------------

void retry_scheduler::on_attempt_failed(task t) {
  lanes_.attempt_failed(std::move(t), clock().now());
  act();
}

void retry_scheduler::on_transition(const breaker_transition& x) {
  if (!retry_lanes::applies(x))
    return;
  const auto& service = x.service.empty() ? x.key : x.service;
  log_->info("service {}: breaker {} -> {}, {} retries held", service, to_string(x.from),
             to_string(x.to), lanes_.held(service));
  lanes_.transition(x, clock().now());
  act();
}

void retry_scheduler::on_observe(const std::string& service, int32_t successes, int32_t failures) {
  lanes_.observe(service, successes, failures, clock().now());
  act();
}

void retry_scheduler::on_tick(uint64_t generation) {
  lanes_.tick(generation, clock().now());
  act();
}

std::vector<task> retry_scheduler::on_handback() {
  auto result = lanes_.hand_back();
  for (auto& t : result)
    settle(t, outcome_status::handed_back,
           "handed back unfinished at shutdown while waiting for a retry or a fallback "
           "tier");
  return result;
}

// -- actions to sends -----------------------------------------------------------------------

void retry_scheduler::act() {
  auto& todo = lanes_.actions();
  for (auto& [t, verdict] : todo.ended)
    finish(std::move(t), verdict);
  for (auto& t : todo.resubmit)
    caf::anon_send(peers_.dispatcher, resubmit_atom::value, std::move(t));
  for (auto& [kind, tiers] : todo.reroute)
    caf::anon_send(peers_.dispatcher, reroute_atom::value, std::move(kind), std::move(tiers));
  if (todo.timer)
    delayed_send(this, *todo.timer, tick_atom::value, lanes_.generation());
  todo.clear();
}

void retry_scheduler::finish(task t, const retry_decision& verdict) {
  auto& m = lanes_.counters_for(t.kind, retry_lanes::service_of(t));
  auto escalate = verdict.action == retry_action::escalate;
  auto peer_name = escalate ? "escalation" : "dead-letter";
  if (escalate ? !peers_.escalation_queue : !peers_.dead_letter_queue) {
    log_->warn("task {} ends as failed: no {} queue is configured; {}", t.id, peer_name,
               verdict.why);
    m.ended_failed->inc();
    settle(t, outcome_status::failed, verdict.why);
    return;
  }
  // The queue settles the task with the dispatcher once it is durable; when it cannot store
  // it, the task ends here as failed.
  auto counted = escalate ? m.ended_escalated : m.ended_dead_lettered;
  auto on_stored = [counted](caf::ok_atom) { counted->inc(); };
  auto on_error = [this, t, ended_failed = m.ended_failed, why = verdict.why,
                   peer_name](caf::error& e) {
    log_->error("task {} ends as failed: the {} queue refused it: {}", t.id, peer_name,
                system().render(e));
    ended_failed->inc();
    settle(t, outcome_status::failed, why + "; storing it failed: " + system().render(e));
  };
  if (escalate)
    request(peers_.escalation_queue, caf::infinite, escalate_atom::value, std::move(t), verdict.why)
        .then(on_stored, on_error);
  else
    request(peers_.dead_letter_queue, caf::infinite, dlq_settle_atom::value, std::move(t),
            verdict.reason, verdict.why)
        .then(on_stored, on_error);
}

void retry_scheduler::settle(const task& t, outcome_status status, const std::string& why) {
  caf::anon_send(peers_.dispatcher, settle_atom::value, settlement_of(t, status, why));
}

} // namespace herd
