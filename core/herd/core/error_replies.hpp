#pragma once

#include <memory>

#include <caf/scheduled_actor.hpp>
#include <spdlog/logger.h>

namespace herd {

/// Makes `self` log the error messages it receives instead of quitting on them (CAF's default
/// error handler). An actor that sends events to listeners gets such a message whenever a
/// listener drops an event it does not know (CAF answers the drop with `unexpected_message`):
/// a listener must never be able to stop a supervisor, a breaker or the dispatcher. Only for
/// actors whose requests all have error callbacks (theirs still get their errors).
void log_error_replies(caf::scheduled_actor& self, std::shared_ptr<spdlog::logger> log);

} // namespace herd
