#include "herd/core/settlement.hpp"

namespace herd {

outcome settlement_of(const task& t, outcome_status status, const std::string& why) {
  outcome result;
  result.task_id = t.id;
  result.status = status;
  result.error = t.last_failure();
  result.error.message = why;
  result.attempt = t.attempt;
  if (!t.history.empty())
    result.agent = t.history.back().agent;
  // A task still on a tier when it is escalated was handed to its chain's human tier (a chain
  // that gives up takes the task off its tier first).
  if (status == outcome_status::escalated && t.route.on_chain()) {
    result.served_by = t.route.tier;
    result.degraded = true;
  }
  return result;
}

} // namespace herd
