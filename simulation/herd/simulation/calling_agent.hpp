#pragma once

#include <caf/actor.hpp>
#include <caf/duration.hpp>

#include "herd/dispatch/agent.hpp"

namespace herd {

/// An agent that forwards each task's payload to a service's circuit breaker (which passes it
/// through the service's admission gate) as `(call_atom, payload, deadline)` with the task's
/// deadline, and reports the outcome the service answers; a call that fails or takes longer than
/// its timeout ends as a `timeout` failure. The agent of `herd demo`
/// and of the herd strategy of `herd simulate`.
class calling_agent : public agent {
public:
  /// An agent that calls `service`, waiting at most `timeout` (default: no limit, e.g. when a
  /// breaker with its own call timeout sits in front).
  calling_agent(caf::actor_config& cfg, caf::actor service, caf::duration timeout = caf::infinite);

protected:
  void handle_async(const task& t, task_completion done) override;

private:
  caf::actor service_;
  caf::duration timeout_;
};

} // namespace herd
