#include "webhook_agent.hpp"

namespace herd {

webhook_agent::webhook_agent(caf::actor_config& cfg, duration call_timeout)
    : agent(cfg), call_timeout_(call_timeout) {}

void webhook_agent::handle_async(const task& t, task_completion done) {
  call(
      t, t.service, t.payload, [done](outcome answer) { done.finish(std::move(answer)); },
      call_timeout_);
}

} // namespace herd
