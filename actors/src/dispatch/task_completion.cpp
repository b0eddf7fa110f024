#include "herd/dispatch/task_completion.hpp"

#include <nlohmann/json.hpp>

#include "herd/dispatch/agent.hpp"

namespace herd {

task_completion::task_completion(agent* self, uint64_t lease_id)
    : self_(self), lease_id_(lease_id) {}

void task_completion::succeed(const nlohmann::json& result) const {
  finish(outcome::success(result));
}

void task_completion::fail(failure why) const {
  finish(outcome::fail(std::move(why)));
}

void task_completion::finish(outcome result) const {
  self_->report(lease_id_, std::move(result));
}

bool task_completion::done() const {
  return !self_->holds(lease_id_);
}

} // namespace herd
