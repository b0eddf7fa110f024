#include "herd/workflow/workflow_run.hpp"

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace herd {

namespace {

nlohmann::json parsed(const std::string& text) {
  auto x = nlohmann::json::parse(text, nullptr, false);
  return x.is_discarded() ? nlohmann::json(text) : x;
}

/// The count at which a cap of `cap` is warned about: `ratio` of it, at least 1.
int64_t warn_at(int64_t cap, double ratio) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(static_cast<double>(cap) * ratio)));
}

} // namespace

workflow_record workflow_run::fresh(const workflow_definition& def, const std::string& id,
                                    const std::string& input, int64_t now_ms) {
  workflow_record result;
  result.id = id;
  result.workflow = def.name;
  result.input = input.empty() ? "null" : input;
  result.created_ms = now_ms;
  result.updated_ms = now_ms;
  result.stored_bytes = static_cast<int64_t>(result.input.size());
  for (auto& s : def.steps) {
    step_record x;
    x.name = s.name;
    result.steps.push_back(std::move(x));
  }
  return result;
}

workflow_run::workflow_run(workflow_definition def, workflow_record record, workflow_config limits)
    : def_(std::move(def)), record_(std::move(record)), limits_(limits),
      end_handed_out_(is_terminal(record_.status)) {
  auto where = "workflow \"" + def_.name + "\" run \"" + record_.id + "\"";
  if (record_.workflow != def_.name)
    throw std::invalid_argument(where + ": the stored run belongs to workflow \"" +
                                record_.workflow + "\"");
  std::string names;
  for (auto& s : def_.steps)
    names += (names.empty() ? "" : ", ") + s.name;
  for (auto& stored : record_.steps)
    if (def_.find(stored.name) == nullptr)
      throw std::invalid_argument(where + ": the stored step \"" + stored.name +
                                  "\" is not in the workflow's code any more (its steps: " + names +
                                  "); restore the step or cancel the run");
  // The steps in the definition's order; a step the code added since is pending.
  std::vector<step_record> steps;
  for (auto& s : def_.steps) {
    auto* stored = record_.step(s.name);
    step_record x;
    if (stored != nullptr)
      x = *stored;
    x.name = s.name;
    // A task a crash interrupted runs again (at least once: hence the idempotency key).
    if (!is_terminal(record_.status)) {
      if (x.state == step_state::running)
        x.state = step_state::pending;
      else if (x.state == step_state::compensating)
        x.state = step_state::completed;
    }
    steps.push_back(std::move(x));
  }
  record_.steps = std::move(steps);
}

bool workflow_run::compensating() const {
  return record_.status == workflow_status::running && !record_.failed_step.empty();
}

void workflow_run::count_execution() {
  ++record_.executions;
  if (!record_.warned_steps &&
      record_.executions >= warn_at(limits_.max_steps, limits_.warn_ratio)) {
    record_.warned_steps = true;
    warnings_.push_back("workflow \"" + def_.name + "\" run \"" + record_.id + "\" has taken " +
                        std::to_string(record_.executions) + " of its " +
                        std::to_string(limits_.max_steps) +
                        " step executions (workflows.max_steps)");
  }
}

workflow_action workflow_run::next(int64_t now_ms) {
  workflow_action action;
  if (is_terminal(record_.status)) {
    if (!end_handed_out_) {
      end_handed_out_ = true;
      action.what = workflow_action::type::ended;
    }
    return action;
  }
  if (compensating()) {
    for (auto& s : record_.steps)
      if (s.state == step_state::compensating)
        return action; // its outcome is awaited
    auto failed_at = def_.index_of(record_.failed_step);
    for (int i = failed_at - 1; i >= 0; --i) {
      auto& step = def_.steps[static_cast<size_t>(i)];
      auto& s = record_.steps[static_cast<size_t>(i)];
      if (s.state != step_state::completed || step.compensation.empty())
        continue;
      s.state = step_state::compensating;
      ++record_.executions; // counted, never capped: an undo always runs
      record_.updated_ms = now_ms;
      action.what = workflow_action::type::compensate;
      action.step = step.name;
      action.work = step_task(step, true);
      return action;
    }
    end(workflow_status::failed, now_ms);
    return next(now_ms);
  }
  if (record_.status == workflow_status::waiting) {
    action.what = workflow_action::type::wait;
    action.step = waiting_step();
    return action;
  }
  for (size_t i = 0; i < def_.steps.size(); ++i) {
    auto& step = def_.steps[i];
    auto& s = record_.steps[i];
    if (s.state == step_state::running)
      return action; // its outcome is awaited
    if (s.state != step_state::pending)
      continue;
    if (record_.executions >= limits_.max_steps) {
      s.state = step_state::failed;
      s.error = "the run reached its cap of " + std::to_string(limits_.max_steps) +
                " step executions (workflows.max_steps)";
      s.ended_ms = now_ms;
      fail_run(step.name, s.error, now_ms);
      return next(now_ms);
    }
    count_execution();
    ++s.runs;
    s.started_ms = now_ms;
    s.ended_ms = 0;
    record_.updated_ms = now_ms;
    action.step = step.name;
    action.work = step_task(step, false);
    if (step.human) {
      s.state = step_state::waiting;
      record_.status = workflow_status::waiting;
      action.what = workflow_action::type::escalate;
      action.reason = "workflow \"" + def_.name + "\" run \"" + record_.id +
                      "\" waits for a person at step \"" + step.name +
                      "\"; resolve with the step's value (JSON) as the note";
    } else {
      s.state = step_state::running;
      action.what = workflow_action::type::run_step;
    }
    return action;
  }
  end(workflow_status::completed, now_ms);
  return next(now_ms);
}

void workflow_run::on_outcome(const std::string& step, const outcome& result, int64_t now_ms) {
  auto* s = record_.step(step);
  auto* def = def_.find(step);
  if (s == nullptr || def == nullptr || s->state != step_state::running ||
      is_terminal(record_.status))
    return; // stale: the run moved on (cancelled, or the step was re-run)
  // A person's value or a refusal (attempt 0) is one attempt, a hand-back none.
  s->attempts += result.attempt > 0                             ? result.attempt
                 : result.status == outcome_status::handed_back ? 0
                                                                : 1;
  s->ended_ms = now_ms;
  record_.updated_ms = now_ms;
  auto bytes = static_cast<int64_t>(result.result.size());
  switch (result.status) {
  case outcome_status::completed:
    if (record_.stored_bytes + bytes > limits_.max_bytes) {
      s->state = step_state::failed;
      s->error = "its result of " + std::to_string(bytes) + " bytes would pass the run's cap of " +
                 std::to_string(limits_.max_bytes) + " stored bytes (workflows.max_bytes)";
      fail_run(step, s->error, now_ms);
      return;
    }
    s->state = step_state::completed;
    s->result = result.result;
    s->error.clear();
    record_.stored_bytes += bytes;
    if (!record_.warned_bytes &&
        record_.stored_bytes >= warn_at(limits_.max_bytes, limits_.warn_ratio)) {
      record_.warned_bytes = true;
      warnings_.push_back("workflow \"" + def_.name + "\" run \"" + record_.id + "\" stores " +
                          std::to_string(record_.stored_bytes) + " of its " +
                          std::to_string(limits_.max_bytes) + " bytes (workflows.max_bytes)");
    }
    return;
  case outcome_status::handed_back:
    s->state = step_state::pending; // the runtime stopped; the step runs again after a restart
    s->ended_ms = 0;
    return;
  case outcome_status::escalated:
    if (def->critical) {
      s->state = step_state::waiting;
      s->ended_ms = 0;
      s->error = "escalated: " + result.error.message;
      record_.status = workflow_status::waiting;
      return;
    }
    break;
  case outcome_status::failed:
  case outcome_status::dead_lettered:
    break;
  }
  s->state = step_state::failed;
  s->error = to_string(result.status) + ": " + result.error.message;
  if (!def->critical)
    s->error += " (not critical: the workflow went on)";
  else
    fail_run(step, s->error, now_ms);
}

void workflow_run::on_compensated(const std::string& step, const outcome& result, int64_t now_ms) {
  auto* s = record_.step(step);
  if (s == nullptr || s->state != step_state::compensating)
    return;
  record_.updated_ms = now_ms;
  if (result.status == outcome_status::handed_back) {
    s->state = step_state::completed; // not run: it runs when the run is driven again
  } else if (result.ok()) {
    s->state = step_state::compensated;
  } else {
    s->state = step_state::compensation_failed;
    s->error = "compensation " + to_string(result.status) + ": " + result.error.message;
  }
}

bool workflow_run::on_person(const std::string& step, const std::string& value, int64_t now_ms) {
  auto* s = record_.step(step);
  if (s == nullptr || s->state != step_state::waiting || is_terminal(record_.status))
    return false;
  record_.status = workflow_status::running;
  s->state = step_state::running;
  outcome given;
  given.result = value.empty() ? "null" : value;
  given.attempt = 0;
  given.agent = "person";
  on_outcome(step, given, now_ms);
  return true;
}

bool workflow_run::on_escalation_closed(const std::string& step, const std::string& why,
                                        int64_t now_ms) {
  auto* s = record_.step(step);
  if (s == nullptr || s->state != step_state::waiting || is_terminal(record_.status))
    return false;
  s->state = step_state::failed;
  s->error = why;
  s->ended_ms = now_ms;
  record_.failed_step = step;
  record_.error = why;
  end(workflow_status::escalated, now_ms);
  return true;
}

bool workflow_run::cancel(const std::string& why, int64_t now_ms) {
  if (is_terminal(record_.status))
    return false;
  record_.error = why.empty() ? "cancelled" : why;
  end(workflow_status::cancelled, now_ms);
  return true;
}

std::string workflow_run::waiting_step() const {
  for (auto& s : record_.steps)
    if (s.state == step_state::waiting)
      return s.name;
  return {};
}

std::vector<std::string> workflow_run::take_warnings() {
  return std::exchange(warnings_, {});
}

task workflow_run::step_task(const workflow_step& step, bool compensation) const {
  task t;
  auto key = record_.id + "/" + step.name + (compensation ? "/compensate" : "");
  t.id = key;
  t.idempotency_key = key;
  t.kind = compensation ? step.compensation : (step.kind.empty() ? "person" : step.kind);
  t.pool = step.pool;
  t.service = step.service;
  nlohmann::json results = nlohmann::json::object();
  for (auto& s : record_.steps)
    if (s.state == step_state::completed || s.state == step_state::compensating)
      results[s.name] = parsed(s.result);
  nlohmann::json payload = {{"workflow", def_.name},
                            {"run", record_.id},
                            {"step", step.name},
                            {"idempotency_key", key},
                            {"input", parsed(record_.input)},
                            {"results", results}};
  if (compensation) {
    payload["compensating"] = true;
    payload["result"] = parsed(record_.step(step.name)->result);
  }
  t.set_payload(payload);
  return t;
}

void workflow_run::fail_run(const std::string& step, const std::string& why, int64_t now_ms) {
  record_.failed_step = step;
  record_.error = "step \"" + step + "\": " + why;
  record_.status = workflow_status::running; // compensations first; `next` ends it failed
  record_.updated_ms = now_ms;
}

void workflow_run::end(workflow_status status, int64_t now_ms) {
  record_.status = status;
  record_.ended_ms = now_ms;
  record_.updated_ms = now_ms;
}

} // namespace herd
