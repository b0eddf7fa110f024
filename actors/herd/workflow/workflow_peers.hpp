#pragma once

#include <functional>
#include <optional>
#include <string>

#include "herd/dead_letters/escalation.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/dispatch/protocol.hpp"

namespace herd {

/// What the workflow driver talks to, given when it is spawned; each is asked anew for every
/// use, so a restarted dispatcher or escalation queue is found.
struct workflow_peers {
  /// The current dispatcher, which runs the steps' tasks (retries, breakers and dead letters
  /// apply). Required.
  std::function<dispatcher_actor()> dispatcher;
  /// The current escalation queue, which takes the steps that wait for a person; empty (or an
  /// invalid handle) = such steps end their run escalated at once. Default: empty.
  std::function<escalation_queue_actor()> escalations;
  /// The stored escalation of a task id (how the driver sees resolutions made with
  /// `herd escalations resolve`); empty = only the runtime API resumes. Default: empty.
  std::function<std::optional<escalation>(const std::string&)> find_escalation;
};

} // namespace herd
