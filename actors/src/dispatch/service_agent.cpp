#include "herd/dispatch/service_agent.hpp"

namespace herd {

service_agent::service_agent(caf::actor_config& cfg) : agent(cfg) {}

void service_agent::handle_async(const task& t, task_completion done) {
  call(t, t.payload, [done](outcome answer) { done.finish(std::move(answer)); });
}

} // namespace herd
