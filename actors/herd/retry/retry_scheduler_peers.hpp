#pragma once

#include <caf/actor.hpp>

#include "herd/dead_letters/protocol.hpp"

namespace herd {

/// The actors a retry scheduler talks to, given when it is spawned.
struct retry_scheduler_peers {
  /// Required: where released retries go as `(resubmit_atom, task)` and where tasks the
  /// scheduler ends itself are settled. A scheduler without one refuses to start.
  caf::actor dispatcher;
  /// Optional (default: none): where exhausted and non-retryable tasks are stored. Without one,
  /// such tasks end as failed, with a warning naming the missing queue.
  dead_letter_queue_actor dead_letter_queue;
  /// Optional (default: none): where tasks that need a person go. Without one, such tasks end
  /// as failed, with a warning naming the missing queue.
  escalation_queue_actor escalation_queue;
};

} // namespace herd
