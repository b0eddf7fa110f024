#pragma once

#include <map>
#include <string>

#include <caf/actor.hpp>
#include <caf/duration.hpp>

#include "herd/dispatch/agent.hpp"

namespace herd {

/// An agent that forwards each task's payload to a service's circuit breaker (which passes it
/// through the service's admission gate) as `(call_atom, payload, deadline)` with the task's
/// deadline, and reports the outcome the service answers; a call that fails or takes longer than
/// its timeout ends as a `timeout` failure. With several services it calls the one the task
/// names (`t.service`, which a fallback chain sets to its tier's service) and merges the tier's
/// `t.route.params` into the payload (JSON merge-patch). The agent of `herd demo` and of the
/// herd strategies of `herd simulate`.
class calling_agent : public agent {
public:
  /// An agent that calls `service` for every task, waiting at most `timeout` (default: no
  /// limit, e.g. when a breaker with its own call timeout sits in front).
  calling_agent(caf::actor_config& cfg, caf::actor service, caf::duration timeout = caf::infinite);
  /// An agent that calls the handle of `services` named by each task's `service`; a task
  /// naming none of them fails as `permanent`. `timeout` as above.
  calling_agent(caf::actor_config& cfg, std::map<std::string, caf::actor> services,
                caf::duration timeout = caf::infinite);

  /// The request for `t`: its payload with `t.route.params` merged in (RFC 7386), or the
  /// payload as it is when the task has no params.
  static std::string request_of(const task& t);

protected:
  void handle_async(const task& t, task_completion done) override;

private:
  /// The handle to call for `t`; null when there is none.
  caf::actor service_for(const task& t) const;

  caf::actor default_service_;
  std::map<std::string, caf::actor> services_;
  caf::duration timeout_;
};

} // namespace herd
