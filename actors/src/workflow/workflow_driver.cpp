#include "herd/workflow/workflow_driver.hpp"

#include <stdexcept>

#include <caf/send.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "herd/core/config_error.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/held_promises.hpp"
#include "herd/core/logging.hpp"
#include "herd/workflow/workflow_errc.hpp"

namespace herd {

std::string person_value_of(const std::string& notes) {
  static const std::string marker = "resolved: ";
  auto at = notes.rfind(marker);
  auto text = at == std::string::npos ? notes : notes.substr(at + marker.size());
  auto end = text.find('\n');
  if (end != std::string::npos)
    text.resize(end);
  auto value = nlohmann::json::parse(text, nullptr, false);
  return value.is_discarded() ? nlohmann::json(text).dump() : value.dump();
}

workflow_driver::workflow_driver(caf::actor_config& cfg, workflow_config config,
                                 std::unique_ptr<workflow_store> store, workflow_peers peers,
                                 std::shared_ptr<metrics_registry> metrics,
                                 std::function<int64_t()> wall_clock)
    : workflow_driver_actor::base(cfg), config_(std::move(config)), store_(std::move(store)),
      peers_(std::move(peers)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      wall_clock_(std::move(wall_clock)), log_(component_logger("workflow_driver")) {
  if (!store_)
    throw std::invalid_argument("a workflow driver needs a workflow store");
  if (!peers_.dispatcher)
    throw std::invalid_argument("a workflow driver needs a dispatcher to run steps");
  auto& m = *metrics_;
  started_metric_ = &m.counter("herd_workflows_started_total", "Workflow runs started");
  warnings_metric_ = &m.counter("herd_workflow_cap_warnings_total",
                                "Workflow runs that neared their step or byte cap");
  active_metric_ = &m.gauge("herd_workflows_active", "Unfinished workflow runs in this process");
}

workflow_driver::~workflow_driver() = default;

void workflow_driver::on_exit() {
  for (auto& [_, waiters] : awaiting_)
    abandon_all(waiters);
  awaiting_.clear();
  peers_ = workflow_peers{};
  subscribers_ = subscriber_list{};
}

workflow_driver::behavior_type workflow_driver::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) { subscribers_.drop(msg.source); });
  if (config_.poll_interval.count() > 0)
    delayed_send(this, config_.poll_interval, wf_poll_atom::value);
  return {
      [this](wf_register_atom, workflow_definition& def) -> caf::result<bool> {
        try {
          def.validate();
        } catch (const config_error& e) {
          return caf::make_error(workflow_errc::invalid_request,
                                 "workflow \"" + def.name + "\": " + e.what());
        }
        auto name = def.name;
        catalog_[name] = std::move(def);
        resume_runs_of(name);
        return true;
      },
      [this](wf_start_atom, const std::string& workflow, const std::string& id,
             const std::string& input) -> caf::result<workflow_record> {
        auto result = start(workflow, id, input);
        if (!result)
          return std::move(result.error());
        return std::move(*result);
      },
      [this](wf_get_atom, const std::string& id) -> caf::result<workflow_record> {
        auto result = stored(id);
        if (!result)
          return std::move(result.error());
        return std::move(*result);
      },
      [this](wf_await_atom, const std::string& id) -> caf::result<workflow_record> {
        auto found = runs_.find(id);
        if (found != runs_.end() &&
            (found->second.record().status == workflow_status::running || raising_.count(id) > 0)) {
          auto promise = make_response_promise<workflow_record>();
          awaiting_[id].push_back(promise);
          return promise;
        }
        auto result = stored(id);
        if (!result)
          return std::move(result.error());
        return std::move(*result);
      },
      [this](wf_resume_atom, const std::string& id, const std::string& value,
             const std::string& note) -> caf::result<workflow_record> {
        auto result = resume(id, value, note);
        if (!result)
          return std::move(result.error());
        return std::move(*result);
      },
      [this](wf_cancel_atom, const std::string& id,
             const std::string& why) -> caf::result<workflow_record> {
        auto result = cancel(id, why);
        if (!result)
          return std::move(result.error());
        return std::move(*result);
      },
      [this](wf_recover_atom) -> caf::result<int64_t> {
        auto result = recover();
        if (!result)
          return std::move(result.error());
        return *result;
      },
      [this](wf_poll_atom) {
        poll();
        if (config_.poll_interval.count() > 0)
          delayed_send(this, config_.poll_interval, wf_poll_atom::value);
      },
      [this](subscribe_atom, const caf::actor& listener) {
        if (subscribers_.add(listener))
          monitor(listener);
      },
  };
}

// -- requests ---------------------------------------------------------------------------------

caf::expected<workflow_record> workflow_driver::start(const std::string& workflow,
                                                      const std::string& id,
                                                      const std::string& input) {
  if (auto found = runs_.find(id); found != runs_.end())
    return found->second.record();
  if (id.empty())
    return caf::make_error(workflow_errc::invalid_request, "a run needs an id");
  try {
    if (auto existing = store_->load(id)) {
      if (!is_terminal(existing->status)) {
        if (auto err = activate(*existing))
          return err;
        advance(id);
        return stored(id);
      }
      return *existing;
    }
  } catch (const std::exception& e) {
    return store_failed(e);
  }
  auto def = catalog_.find(workflow);
  if (def == catalog_.end())
    return caf::make_error(workflow_errc::unknown_workflow,
                           "no workflow \"" + workflow + "\" is registered");
  auto text = input.empty() ? std::string{"null"} : input;
  if (nlohmann::json::parse(text, nullptr, false).is_discarded())
    return caf::make_error(workflow_errc::invalid_request,
                           "the input of run \"" + id + "\" is not valid JSON");
  workflow_run run{def->second, workflow_run::fresh(def->second, id, text, wall_clock_()), config_};
  if (!commit(run))
    return caf::make_error(workflow_errc::store_failed, "run \"" + id + "\" could not be stored");
  runs_.emplace(id, std::move(run));
  started_metric_->inc();
  active_metric_->set(static_cast<double>(runs_.size()));
  log_->info("workflow \"{}\" run \"{}\" started", workflow, id);
  advance(id);
  return stored(id);
}

caf::expected<workflow_record> workflow_driver::stored(const std::string& id) {
  if (auto found = runs_.find(id); found != runs_.end())
    return found->second.record();
  try {
    if (auto x = store_->load(id))
      return std::move(*x);
  } catch (const std::exception& e) {
    return store_failed(e);
  }
  return caf::make_error(workflow_errc::unknown_run, "no workflow run \"" + id + "\"");
}

caf::error workflow_driver::activate(const workflow_record& record) {
  if (runs_.count(record.id) > 0)
    return caf::none;
  auto def = catalog_.find(record.workflow);
  if (def == catalog_.end())
    return caf::make_error(workflow_errc::unknown_workflow,
                           "run \"" + record.id + "\" belongs to workflow \"" + record.workflow +
                               "\", which is not registered");
  try {
    runs_.emplace(record.id, workflow_run{def->second, record, config_});
  } catch (const std::invalid_argument& e) {
    log_->error("{}", e.what());
    return caf::make_error(workflow_errc::definition_mismatch, std::string{e.what()});
  }
  active_metric_->set(static_cast<double>(runs_.size()));
  return caf::none;
}

caf::expected<workflow_record>
workflow_driver::resume(const std::string& id, const std::string& value, const std::string& note) {
  auto current = stored(id);
  if (!current)
    return current;
  if (is_terminal(current->status))
    return caf::make_error(workflow_errc::not_resumable,
                           "run \"" + id + "\" has ended (" + to_string(current->status) + ")");
  if (auto err = activate(*current))
    return err;
  auto& run = runs_.at(id);
  auto step = run.waiting_step();
  if (!step.empty()) {
    auto text = value.empty() ? std::string{"null"} : value;
    if (nlohmann::json::parse(text, nullptr, false).is_discarded())
      return caf::make_error(workflow_errc::invalid_request,
                             "the value for step \"" + step + "\" is not valid JSON");
    if (auto queue = peers_.escalations ? peers_.escalations() : escalation_queue_actor{})
      request(queue, caf::infinite, esc_resolve_atom::value, id + "/" + step,
              note.empty() ? "workflow resumed with " + text : note)
          .then([](bool) {}, [](caf::error&) {}); // an escalation closed already is fine
    run.on_person(step, text, wall_clock_());
    log_->info("workflow run \"{}\" resumed at step \"{}\"", id, step);
  }
  advance(id);
  return stored(id);
}

caf::expected<workflow_record> workflow_driver::cancel(const std::string& id,
                                                       const std::string& why) {
  auto current = stored(id);
  if (!current)
    return current;
  if (is_terminal(current->status))
    return caf::make_error(workflow_errc::not_resumable,
                           "run \"" + id + "\" has ended (" + to_string(current->status) + ")");
  if (auto err = activate(*current); err) {
    // A run whose code is gone can still be cancelled: end it as stored.
    auto record = *current;
    record.status = workflow_status::cancelled;
    record.error = why.empty() ? "cancelled" : why;
    record.ended_ms = record.updated_ms = wall_clock_();
    try {
      store_->save(record);
    } catch (const std::exception& e) {
      return store_failed(e);
    }
    return record;
  }
  runs_.at(id).cancel(why.empty() ? "cancelled by an operator" : why, wall_clock_());
  advance(id);
  return stored(id);
}

void workflow_driver::resume_runs_of(const std::string& workflow) {
  std::vector<workflow_record> unfinished;
  try {
    unfinished = store_->unfinished();
  } catch (const std::exception& e) {
    store_failed(e);
    return;
  }
  for (auto& record : unfinished) {
    if (record.workflow != workflow || runs_.count(record.id) > 0)
      continue;
    if (activate(record)) // logged; `recover` reports it
      continue;
    log_->info("workflow \"{}\" run \"{}\" resumed from its store", workflow, record.id);
    advance(record.id);
  }
}

caf::expected<int64_t> workflow_driver::recover() {
  std::vector<workflow_record> unfinished;
  try {
    unfinished = store_->unfinished();
  } catch (const std::exception& e) {
    return store_failed(e);
  }
  int64_t resumed = 0;
  std::string problems;
  for (auto& record : unfinished) {
    if (runs_.count(record.id) > 0)
      continue;
    if (auto err = activate(record)) {
      problems += (problems.empty() ? "" : "; ") + system().render(err);
      continue;
    }
    ++resumed;
    advance(record.id);
  }
  if (!problems.empty())
    return caf::make_error(workflow_errc::definition_mismatch,
                           std::to_string(resumed) + " runs resumed; not resumed: " + problems);
  return resumed;
}

// -- running steps ----------------------------------------------------------------------------

void workflow_driver::advance(const std::string& id) {
  for (;;) {
    auto found = runs_.find(id);
    if (found == runs_.end())
      return;
    auto& run = found->second;
    auto action = run.next(wall_clock_());
    if (!commit(run))
      return; // not durable: do nothing it would have to remember; a restart resumes it
    for (auto& warning : run.take_warnings()) {
      log_->warn("{}", warning);
      warnings_metric_->inc();
      for (auto& listener : subscribers_.all())
        caf::anon_send(listener, wf_warning_atom::value, id, warning);
    }
    switch (action.what) {
    case workflow_action::type::none:
      return;
    case workflow_action::type::run_step:
    case workflow_action::type::compensate:
      submit(id, action);
      return;
    case workflow_action::type::escalate:
      raise(id, action); // awaiting callers are answered once the escalation is durable
      return;
    case workflow_action::type::wait:
      answer_awaiting(run.record());
      return;
    case workflow_action::type::ended: {
      auto record = run.record();
      runs_.erase(found);
      active_metric_->set(static_cast<double>(runs_.size()));
      metrics_
          ->counter("herd_workflows_ended_total", "Workflow runs ended, by status",
                    {{"status", to_string(record.status)}})
          .inc();
      log_->info("workflow \"{}\" run \"{}\" ended {}{}", record.workflow, record.id,
                 to_string(record.status), record.error.empty() ? "" : ": " + record.error);
      answer_awaiting(record);
      for (auto& listener : subscribers_.all())
        caf::anon_send(listener, wf_ended_atom::value, record);
      return;
    }
    }
  }
}

void workflow_driver::submit(const std::string& id, const workflow_action& action) {
  bool compensation = action.what == workflow_action::type::compensate;
  auto step = action.step;
  auto dispatcher = peers_.dispatcher();
  if (!dispatcher) {
    on_result(id, step, compensation,
              outcome::fail(failure::unavailable("no dispatcher to run the step")));
    return;
  }
  request(dispatcher, caf::infinite, submit_atom::value, action.work)
      .then([this, id, step,
             compensation](outcome& result) { on_result(id, step, compensation, result); },
            [this, id, step, compensation](caf::error& e) {
              auto result = outcome::fail(
                  failure::unavailable("the dispatcher refused the step: " + system().render(e)));
              // A refusal for now (shutting down, intake full or paused, budget spent) hands
              // the step back: it is submitted again at the next poll or start.
              bool for_now = e == errc::shutting_down || e == errc::intake_full ||
                             e == errc::intake_paused || e == errc::budget_exhausted;
              result.status = for_now ? outcome_status::handed_back : outcome_status::failed;
              if (for_now)
                log_->warn("workflow run \"{}\" step \"{}\" handed back: {}", id, step,
                           system().render(e));
              on_result(id, step, compensation, result);
            });
}

void workflow_driver::raise(const std::string& id, const workflow_action& action) {
  auto step = action.step;
  auto queue = peers_.escalations ? peers_.escalations() : escalation_queue_actor{};
  auto closed = [this, id, step](const std::string& why) {
    if (auto found = runs_.find(id); found != runs_.end())
      if (found->second.on_escalation_closed(step, why, wall_clock_()))
        advance(id);
  };
  if (!queue) {
    closed("no escalation queue to ask a person (configure dead_letters)");
    return;
  }
  auto work = action.work;
  work.created = clock().now();
  raising_.insert(id);
  request(queue, caf::infinite, escalate_atom::value, work, action.reason)
      .then(
          [this, id](caf::ok_atom) {
            raising_.erase(id);
            if (auto found = runs_.find(id); found != runs_.end())
              answer_awaiting(found->second.record());
          },
          [this, id, closed](caf::error& e) {
            raising_.erase(id);
            closed("the escalation could not be stored: " + system().render(e));
          });
}

void workflow_driver::on_result(const std::string& id, const std::string& step, bool compensation,
                                const outcome& result) {
  auto found = runs_.find(id);
  if (found == runs_.end())
    return; // cancelled meanwhile
  if (compensation)
    found->second.on_compensated(step, result, wall_clock_());
  else
    found->second.on_outcome(step, result, wall_clock_());
  advance(id);
}

bool workflow_driver::commit(workflow_run& run) {
  try {
    store_->save(run.record());
    return true;
  } catch (const std::exception& e) {
    log_->error("workflow run \"{}\" not stored, left where it was: {}", run.record().id, e.what());
    return false;
  }
}

void workflow_driver::answer_awaiting(const workflow_record& record) {
  auto found = awaiting_.find(record.id);
  if (found == awaiting_.end())
    return;
  for (auto& promise : found->second)
    promise.deliver(record);
  awaiting_.erase(found);
}

// -- polling ----------------------------------------------------------------------------------

void workflow_driver::poll() {
  std::vector<workflow_command> commands;
  try {
    commands = store_->pending_commands();
  } catch (const std::exception& e) {
    store_failed(e);
  }
  for (auto& c : commands) {
    auto done = c.command == "resume" ? resume(c.run_id, c.value, c.note)
                : c.command == "cancel"
                    ? cancel(c.run_id, c.note)
                    : caf::expected<workflow_record>{caf::make_error(
                          workflow_errc::invalid_request, "unknown command \"" + c.command + "\"")};
    auto result = done ? std::string{"ok"} : system().render(done.error());
    if (!done)
      log_->warn("herd workflow {} {}: {}", c.command, c.run_id, result);
    try {
      store_->finish_command(c.id, result, wall_clock_());
    } catch (const std::exception& e) {
      store_failed(e);
    }
  }
  std::vector<std::string> waiting;
  std::vector<std::string> running;
  for (auto& [id, run] : runs_)
    (run.record().status == workflow_status::waiting ? waiting : running).push_back(id);
  for (auto& id : waiting)
    check_escalation(id);
  // A step handed back (the dispatcher refused it for now) is submitted again; a run with a
  // step in flight is left alone.
  for (auto& id : running)
    advance(id);
}

void workflow_driver::check_escalation(const std::string& id) {
  if (!peers_.find_escalation)
    return;
  auto found = runs_.find(id);
  if (found == runs_.end())
    return;
  auto& run = found->second;
  auto step = run.waiting_step();
  std::optional<escalation> x;
  try {
    x = peers_.find_escalation(id + "/" + step);
  } catch (const std::exception& e) {
    log_->error("cannot read the escalation of run \"{}\": {}", id, e.what());
    return;
  }
  if (!x)
    return;
  auto now = wall_clock_();
  switch (x->status) {
  case escalation_status::open:
    return;
  case escalation_status::resolved:
    run.on_person(step, person_value_of(x->note), now);
    log_->info("workflow run \"{}\" resumed at step \"{}\" by a resolution", id, step);
    break;
  case escalation_status::timed_out:
    run.on_escalation_closed(step, "nobody answered the escalation in time (dead-lettered)", now);
    break;
  case escalation_status::resubmitted:
  case escalation_status::resubmitting:
    run.on_escalation_closed(step, "the escalation was resubmitted outside the workflow", now);
    break;
  }
  advance(id);
}

caf::error workflow_driver::store_failed(const std::exception& e) {
  log_->error("{}", e.what());
  return caf::make_error(workflow_errc::store_failed, std::string{e.what()});
}

} // namespace herd
