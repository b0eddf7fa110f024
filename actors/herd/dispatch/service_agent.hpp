#pragma once

#include "herd/dispatch/agent.hpp"

namespace herd {

/// A ready agent for task kinds whose work is one service call: it calls `t.service` (the tier's
/// service on a fallback chain, with the tier's `params` merged in) with the task's payload as
/// the request, through `agent::call` (step limit, loop guard, budgets, breaker), and reports
/// the service's outcome as the task's. No user code:
///
///     rt.spawn_pool<herd::service_agent>("llm", 4);
class service_agent : public agent {
public:
  /// Constructs it; nothing to configure.
  explicit service_agent(caf::actor_config& cfg);

protected:
  /// Calls the task's service with its payload and finishes with the answer.
  void handle_async(const task& t, task_completion done) override;
};

} // namespace herd
