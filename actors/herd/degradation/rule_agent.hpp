#pragma once

#include <functional>

#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dispatch/agent.hpp"

namespace herd {

/// The agent of a fallback chain's rule tier: runs an in-process callback on each task (the
/// pool `runtime::add_rule` spawns under the rule's name). A callback that throws fails the
/// attempt like any agent's handler; a rule is tried once, so the chain moves on.
class rule_agent : public agent {
public:
  /// The callback: the task in, its outcome out.
  using rule = std::function<outcome(const task&)>;

  /// An agent running `fn` for every task it is leased.
  rule_agent(caf::actor_config& cfg, rule fn);

protected:
  /// Runs the rule on `t`.
  outcome handle(const task& t) override;

private:
  rule rule_;
};

} // namespace herd
