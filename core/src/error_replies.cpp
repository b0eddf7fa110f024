#include "herd/core/error_replies.hpp"

#include <caf/error.hpp>

namespace herd {

void log_error_replies(caf::scheduled_actor& self, std::shared_ptr<spdlog::logger> log) {
  auto* actor = &self;
  self.set_error_handler([actor, log = std::move(log)](caf::error& err) {
    log->warn("{} ignored an error message (a listener's reply?): {}", actor->name(),
              actor->system().render(err));
  });
}

} // namespace herd
