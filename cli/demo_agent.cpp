#include "demo_agent.hpp"

#include "herd/atoms.hpp"

namespace herd::cli {

demo_agent::demo_agent(caf::actor_config& cfg, caf::actor service)
    : agent(cfg), service_(std::move(service)) {}

void demo_agent::handle_async(const task& t, task_completion done) {
  request(service_, std::chrono::seconds(10), call_atom::value, t.payload)
      .then([done](outcome& answer) { done.finish(std::move(answer)); },
            [done](caf::error& e) { done.fail(failure::timeout("call failed: " + to_string(e))); });
}

} // namespace herd::cli
