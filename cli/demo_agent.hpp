#pragma once

#include <caf/actor.hpp>

#include "herd/agent.hpp"

namespace herd::cli {

/// The demo's agent: forwards each task's payload to a downstream service and reports what the
/// service answered.
class demo_agent : public agent {
public:
  /// An agent that calls `service`.
  demo_agent(caf::actor_config& cfg, caf::actor service);

protected:
  void handle_async(const task& t, task_completion done) override;

private:
  caf::actor service_;
};

} // namespace herd::cli
