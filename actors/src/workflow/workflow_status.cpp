#include "herd/workflow/workflow_status.hpp"

#include "herd/core/enum_name.hpp"

namespace herd {

namespace {

constexpr workflow_status all_statuses[] = {workflow_status::running,   workflow_status::waiting,
                                            workflow_status::completed, workflow_status::failed,
                                            workflow_status::escalated, workflow_status::cancelled};

constexpr step_state all_states[] = {step_state::pending,     step_state::running,
                                     step_state::waiting,     step_state::completed,
                                     step_state::failed,      step_state::compensating,
                                     step_state::compensated, step_state::compensation_failed};

} // namespace

std::string to_string(workflow_status x) {
  switch (x) {
  case workflow_status::running:
    return "running";
  case workflow_status::waiting:
    return "waiting";
  case workflow_status::completed:
    return "completed";
  case workflow_status::failed:
    return "failed";
  case workflow_status::escalated:
    return "escalated";
  case workflow_status::cancelled:
    return "cancelled";
  }
  return "workflow_status(" + std::to_string(static_cast<int>(x)) + ")";
}

std::optional<workflow_status> parse_workflow_status(std::string_view name) {
  return parse_enum_name(name, all_statuses);
}

bool is_terminal(workflow_status x) {
  return x != workflow_status::running && x != workflow_status::waiting;
}

std::string to_string(step_state x) {
  switch (x) {
  case step_state::pending:
    return "pending";
  case step_state::running:
    return "running";
  case step_state::waiting:
    return "waiting";
  case step_state::completed:
    return "completed";
  case step_state::failed:
    return "failed";
  case step_state::compensating:
    return "compensating";
  case step_state::compensated:
    return "compensated";
  case step_state::compensation_failed:
    return "compensation_failed";
  }
  return "step_state(" + std::to_string(static_cast<int>(x)) + ")";
}

std::optional<step_state> parse_step_state(std::string_view name) {
  return parse_enum_name(name, all_states);
}

} // namespace herd
