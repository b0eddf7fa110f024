#include "herd/runtime.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "herd/breaker_registry.hpp"
#include "herd/dead_letter_queue.hpp"
#include "herd/dispatcher.hpp"
#include "herd/errc.hpp"
#include "herd/escalation_queue.hpp"
#include "herd/logging.hpp"
#include "herd/retry_atoms.hpp"
#include "herd/retry_scheduler.hpp"

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
  dispatcher_ = sys_->spawn<herd::dispatcher>(config_.dispatcher, metrics_);
  retry_scheduler_ =
      sys_->spawn<herd::retry_scheduler>(config_.retry, config_.policies, metrics_, dispatcher_);
  caf::anon_send(dispatcher_, sink_atom::value, retry_scheduler_);
  breakers_ = sys_->spawn<breaker_registry>(config_.breakers, metrics_);
  // The scheduler holds a service's retries while its breaker is open and paces them after.
  caf::anon_send(breakers_, subscribe_atom::value, retry_scheduler_);
  if (config_.dead_letters) {
    // Each queue has its own connection to the same SQLite file (WAL mode).
    auto& dl = *config_.dead_letters;
    dead_letter_queue_ = sys_->spawn<herd::dead_letter_queue>(
        dl, std::make_unique<dead_letter_store>(dl.db), dispatcher_, metrics_);
    escalation_queue_ = sys_->spawn<herd::escalation_queue>(
        dl, std::make_unique<dead_letter_store>(dl.db), dead_letter_queue_, dispatcher_, metrics_);
    caf::anon_send(retry_scheduler_, dlq_atom::value, dead_letter_queue_);
    caf::anon_send(retry_scheduler_, escalation_atom::value, escalation_queue_);
  }
  component_logger("runtime")->debug("runtime started");
}

caf::actor runtime::add_agent(const std::string& pool, caf::actor agent) {
  auto& members = pools_[pool];
  agent_settings settings;
  settings.name = pool + "-" + std::to_string(members.size() + 1);
  settings.pool = pool;
  settings.heartbeat_interval = config_.heartbeat_interval;
  caf::anon_send(agent, setup_atom::value, settings);
  caf::anon_send(dispatcher_, join_atom::value, pool, agent, settings.name,
                 config_.concurrency_of(pool));
  members.push_back(agent);
  return agent;
}

void runtime::add_service(const std::string& service, caf::actor handle) {
  caf::anon_send(breakers_, caf::put_atom::value, service, std::move(handle));
}

caf::expected<caf::actor> runtime::breaker_for(const std::string& service,
                                               const std::string& agent) {
  caf::expected<caf::actor> result{caf::make_error(errc::timeout)};
  caf::scoped_actor self{*sys_};
  self->request(breakers_, caf::infinite, caf::get_atom::value, agent, service)
      .receive([&](caf::actor& breaker) { result = std::move(breaker); },
               [&](caf::error& e) { result = std::move(e); });
  return result;
}

std::future<caf::expected<outcome>> runtime::submit(task t) {
  auto promise = std::make_shared<std::promise<caf::expected<outcome>>>();
  auto result = promise->get_future();
  sys_->spawn([promise, t = std::move(t), d = dispatcher_](caf::event_based_actor* self) mutable {
    self->request(d, caf::infinite, submit_atom::value, std::move(t))
        .then([promise](outcome& o) { promise->set_value(std::move(o)); },
              [promise](caf::error& e) { promise->set_value(std::move(e)); });
  });
  return result;
}

caf::expected<outcome> runtime::run(task t, duration timeout) {
  caf::expected<outcome> result{caf::make_error(errc::timeout)};
  caf::scoped_actor self{*sys_};
  self->request(dispatcher_, timeout, submit_atom::value, std::move(t))
      .receive([&](outcome& o) { result = std::move(o); },
               [&](caf::error& e) {
                 if (e == caf::sec::request_timeout)
                   result = caf::make_error(errc::timeout, "no outcome within the timeout");
                 else
                   result = std::move(e);
               });
  return result;
}

void runtime::submit(task t, const caf::actor& reply_to) {
  caf::send_as(reply_to, dispatcher_, submit_atom::value, std::move(t));
}

dispatcher_stats runtime::stats() {
  dispatcher_stats result;
  caf::scoped_actor self{*sys_};
  self->request(dispatcher_, caf::infinite, stats_atom::value)
      .receive([&](dispatcher_stats& s) { result = s; }, [](caf::error&) {});
  return result;
}

shutdown_report runtime::shutdown(duration grace) {
  if (final_report_)
    return *final_report_;
  auto log = component_logger("runtime");
  shutdown_report report;
  {
    caf::scoped_actor self{*sys_};
    self->request(dispatcher_, grace, drain_atom::value)
        .receive(
            [&](dispatcher_stats& s) {
              report.stats = s;
              report.drained = true;
            },
            [](caf::error&) {});
    if (!report.drained) {
      // Waiting retries live in the scheduler; queued and leased tasks in the dispatcher.
      for (auto& holder : {retry_scheduler_, dispatcher_})
        self->request(holder, caf::infinite, handback_atom::value)
            .receive(
                [&](std::vector<task>& unfinished) {
                  for (auto& t : unfinished)
                    report.unfinished.push_back(std::move(t));
                },
                [](caf::error&) {});
      self->request(dispatcher_, caf::infinite, stats_atom::value)
          .receive([&](dispatcher_stats& s) { report.stats = s; }, [](caf::error&) {});
      log->warn("shutdown: handed back {} unfinished tasks", report.unfinished.size());
    }
    for (auto& [_, members] : pools_)
      for (auto& agent : members)
        self->send_exit(agent, caf::exit_reason::user_shutdown);
    for (auto& queue : {escalation_queue_, dead_letter_queue_})
      if (queue)
        self->send_exit(queue, caf::exit_reason::user_shutdown);
    self->send_exit(breakers_, caf::exit_reason::user_shutdown);
    self->send_exit(retry_scheduler_, caf::exit_reason::user_shutdown);
    self->send_exit(dispatcher_, caf::exit_reason::user_shutdown);
  }
  final_report_ = std::make_unique<shutdown_report>(report);
  return report;
}

} // namespace herd
