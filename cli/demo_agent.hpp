#pragma once

#include <memory>

#include <caf/actor.hpp>

#include "demo_chaos.hpp"
#include "herd/agent.hpp"

namespace herd::cli {

/// The demo's agent: forwards each task's payload to a downstream service and reports what the
/// service answered; crashes or hangs when `chaos` says so.
class demo_agent : public agent {
public:
  /// An agent that calls `service`, misbehaving as `chaos` says (may be null).
  demo_agent(caf::actor_config& cfg, caf::actor service, std::shared_ptr<demo_chaos> chaos);

protected:
  void handle_async(const task& t, task_completion done) override;

private:
  caf::actor service_;
  std::shared_ptr<demo_chaos> chaos_;
};

} // namespace herd::cli
