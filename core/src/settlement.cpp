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
  return result;
}

} // namespace herd
