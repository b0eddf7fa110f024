#include "demo/demo_agent.hpp"

#include <chrono>
#include <thread>

namespace herd::cli {

demo_agent::demo_agent(caf::actor_config& cfg, std::map<std::string, caf::actor> services,
                       std::shared_ptr<demo_chaos> chaos)
    : calling_agent(cfg, std::move(services), caf::duration{std::chrono::seconds(10)}),
      chaos_(std::move(chaos)) {}

void demo_agent::handle_async(const task& t, task_completion done) {
  if (chaos_) {
    auto n = ++chaos_->taken;
    if (chaos_->crash_at.count(n) > 0) {
      quit(caf::sec::runtime_error); // the lease dies with the agent; its supervisor restarts it
      return;
    }
    if (chaos_->hang_at.count(n) > 0)
      std::this_thread::sleep_for(chaos_->hang_for); // a handler that does not return in time
  }
  calling_agent::handle_async(t, std::move(done));
}

} // namespace herd::cli
