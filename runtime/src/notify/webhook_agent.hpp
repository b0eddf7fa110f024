#pragma once

#include "herd/core/time.hpp"
#include "herd/dispatch/agent.hpp"

namespace herd {

/// An agent of the pool "herd.notify": delivers a notification task by calling its service (a
/// webhook's `http_service`, "webhook:<name>", behind its breaker) with the task's payload, the
/// formatted body. The call's outcome is the task's: a 503 or a timeout fails the attempt as
/// transient, and the retry scheduler retries it by the "notification" policy.
class webhook_agent : public agent {
public:
  /// An agent whose calls wait at most `call_timeout` for an answer (the webhook's own
  /// timeouts end a hanging POST first).
  webhook_agent(caf::actor_config& cfg, duration call_timeout);

protected:
  /// Calls `t.service` with `t.payload` and reports the answer.
  void handle_async(const task& t, task_completion done) override;

private:
  duration call_timeout_;
};

} // namespace herd
