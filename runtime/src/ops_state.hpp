#pragma once

#include <nlohmann/json.hpp>

#include "herd/core/time.hpp"

namespace herd {

class runtime;

/// What the HTTP endpoint tells about a running runtime: its readiness and the /api/state
/// document. Asks each actor with `timeout` (an actor that does not answer shows as null, and
/// makes the runtime not ready), from a thread that is not an actor's.
class ops_state {
public:
  /// Reads `rt` (which must outlive it), waiting at most `timeout` for each actor.
  ops_state(runtime& rt, duration timeout);

  /// {"ready": bool, "reasons": [...], "healthy_agents": n}: not ready while intake is paused
  /// or draining, the dead-letter store fails, no agent is healthy or an actor does not answer.
  nlohmann::json readiness() const;
  /// The /api/state document: generated_at (UTC), intake, agents, dispatcher, breakers,
  /// retry_queue, admission, dead_letters, escalations, budgets, nodes (null without a node
  /// endpoint).
  nlohmann::json state() const;

private:
  nlohmann::json agents() const;
  /// The worker nodes of a published node endpoint, or null when there is none.
  nlohmann::json nodes() const;
  nlohmann::json breakers() const;
  nlohmann::json retry_queue() const;
  nlohmann::json admission() const;
  nlohmann::json dead_letters() const;

  runtime& rt_;
  duration timeout_;
};

} // namespace herd
