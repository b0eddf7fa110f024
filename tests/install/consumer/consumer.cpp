// A project outside herd's tree: installed headers, find_package(herd), a herd::agent subclass;
// and a service that never answers, whose runtime still shuts down and lets the process exit.
#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <herd/herd.hpp>

class doubler : public herd::agent {
public:
  using herd::agent::agent;

protected:
  herd::outcome handle(const herd::task& t) override {
    return herd::outcome::success(t.payload_json().get<int>() * 2);
  }
};

/// A downstream service that never answers (a hung LLM API): it keeps every call's promise.
class hung_service : public caf::event_based_actor {
public:
  hung_service(caf::actor_config& cfg, std::shared_ptr<std::atomic<int>> calls)
      : caf::event_based_actor(cfg), calls_(std::move(calls)) {}

protected:
  caf::behavior make_behavior() override {
    return {[this](herd::call_atom, const std::string&) -> caf::result<herd::outcome> {
      held_.push_back(make_response_promise());
      ++*calls_;
      return held_.back();
    }};
  }

  /// A held promise keeps its own actor alive (it holds a strong reference to the actor that
  /// made it): drop them when the actor stops, or a stopped service is never freed.
  void on_exit() override { held_.clear(); }

private:
  std::shared_ptr<std::atomic<int>> calls_;
  std::vector<caf::response_promise> held_;
};

/// Asks a service (through its breaker) for each task.
class asking_agent : public herd::agent {
public:
  asking_agent(caf::actor_config& cfg, caf::actor service)
      : herd::agent(cfg), service_(std::move(service)) {}

protected:
  void handle_async(const herd::task& t, herd::task_completion done) override {
    request(service_, caf::infinite, herd::call_atom::value, t.payload_json().dump())
        .then([done](herd::outcome& o) { done.finish(std::move(o)); },
              [done](caf::error&) {
                done.fail(herd::failure::make(herd::failure_category::transient, "no answer"));
              });
  }

private:
  caf::actor service_;
};

int run_tasks() {
  herd::runtime_config config;
  config.log_level = "warn";
  herd::runtime rt{config};
  rt.spawn_pool<doubler>("math", 2);
  int completed = 0;
  for (int i = 1; i <= 3; ++i) {
    auto result = rt.run(herd::task::make("double-" + std::to_string(i), "read_only", i, "math"));
    if (result && result->ok() && result->result_json() == i * 2)
      ++completed;
  }
  rt.shutdown(herd::from_ms(1000));
  std::cout << "consumer: " << completed << " tasks completed\n";
  return completed;
}

/// Returns once the runtime (and its actor system) ended. The caller keeps the service's handle
/// past the runtime, as a member declared before it would: the runtime must stop the service.
size_t shut_down_with_a_hung_service() {
  caf::actor llm;
  herd::runtime_config config;
  config.log_level = "error";
  herd::runtime rt{config};
  auto calls = std::make_shared<std::atomic<int>>(0);
  llm = rt.system().spawn<hung_service>(calls);
  rt.add_service("llm", llm);
  auto breaker = rt.breaker_for("llm");
  if (!breaker)
    return 0;
  rt.spawn_pool<asking_agent>("askers", 1, *breaker);
  auto pending = rt.submit(herd::task::make("ask-1", "read_only", "hi", "askers"));
  while (*calls == 0)
    std::this_thread::yield();
  auto report = rt.shutdown(herd::from_ms(200), herd::from_ms(2000));
  return report.unfinished.size();
}

int main() {
  auto completed = run_tasks();
  auto handed_back = shut_down_with_a_hung_service();
  std::cout << "consumer: the runtime with a hung service shut down (" << handed_back
            << " task handed back) and ended\n";
  return completed == 3 && handed_back == 1 ? 0 : 1;
}
