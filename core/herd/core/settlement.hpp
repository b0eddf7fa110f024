#pragma once

#include <string>

#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"

namespace herd {

/// The outcome that settles `t` outside the dispatcher (its terminal state decided by the retry
/// scheduler, the dead-letter queue or the escalation queue) with `status`: the task's last
/// failure with `why` as its message, the number of its last attempt and the agent that ran it.
/// An escalated task still on a fallback tier (`t.route.tier`: its chain's human tier) is
/// `served_by` that tier, `degraded`.
outcome settlement_of(const task& t, outcome_status status, const std::string& why);

} // namespace herd
