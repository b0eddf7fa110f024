#pragma once

#include <map>
#include <memory>
#include <string>

#include <caf/actor.hpp>

#include "demo/demo_chaos.hpp"
#include "herd/simulation/calling_agent.hpp"

namespace herd::cli {

/// The demo's agent: calls the service a task names (10 s timeout) like any `calling_agent`,
/// but crashes or hangs when `chaos` says so.
class demo_agent : public calling_agent {
public:
  /// An agent that calls the handle of `services` a task names, misbehaving as `chaos` says
  /// (may be null).
  demo_agent(caf::actor_config& cfg, std::map<std::string, caf::actor> services,
             std::shared_ptr<demo_chaos> chaos);

protected:
  void handle_async(const task& t, task_completion done) override;

private:
  std::shared_ptr<demo_chaos> chaos_;
};

} // namespace herd::cli
