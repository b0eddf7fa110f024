#include "herd/simulation/calling_agent.hpp"

#include "herd/core/atoms.hpp"

namespace herd {

calling_agent::calling_agent(caf::actor_config& cfg, caf::actor service, caf::duration timeout)
    : agent(cfg), service_(std::move(service)), timeout_(timeout) {}

void calling_agent::handle_async(const task& t, task_completion done) {
  // The task's deadline (none: the epoch) lets admission control refuse a call that waited
  // past it.
  request(service_, timeout_, call_atom::value, t.payload, t.deadline)
      .then([done](outcome& answer) { done.finish(std::move(answer)); },
            [done](caf::error& e) { done.fail(failure::timeout("call failed: " + to_string(e))); });
}

} // namespace herd
