// hello_agent: the first thing to read. Defines an agent, starts a runtime, submits tasks and
// prints their outcomes.
//
// Build it in your own project with:
//   find_package(herd REQUIRED)
//   target_link_libraries(hello_agent PRIVATE herd::herd)
#include <iostream>

#include <herd/herd.hpp>

/// An agent that greets. Override `handle` for work that finishes at once; override
/// `handle_async` for work that waits on other actors (an LLM API, a tool).
class greeter : public herd::agent {
public:
  greeter(caf::actor_config& cfg, std::string greeting)
    : herd::agent(cfg), greeting_(std::move(greeting)) {}

protected:
  herd::outcome handle(const herd::task& t) override {
    auto name = t.payload_json().value("name", "");
    if (name.empty()) // Bad input is a permanent failure: retrying cannot fix it.
      return herd::outcome::fail(herd::failure::permanent("no name to greet"));
    return herd::outcome::success({{"text", greeting_ + ", " + name + "!"}});
  }

private:
  std::string greeting_;
};

int main() {
  herd::runtime_config config; // or herd::runtime_config::load("herd.json")
  config.log_level = "warn";
  herd::runtime rt{config};
  rt.spawn_pool<greeter>("greeters", 4, std::string{"Hello"});

  for (auto name : {"Ada", "Grace", ""}) {
    auto t = herd::task::make(std::string{"greet-"} + name, "read_only", {{"name", name}},
                              "greeters");
    auto result = rt.run(t);
    if (!result)
      std::cout << t.id << ": refused: " << rt.system().render(result.error()) << '\n';
    else if (result->ok())
      std::cout << t.id << ": " << result->result_json()["text"].get<std::string>() << " (by "
                << result->agent << ")\n";
    else
      std::cout << t.id << ": " << to_string(result->error) << '\n';
  }
  auto report = rt.shutdown(herd::from_ms(5000));
  std::cout << "completed " << report.stats.completed << ", failed " << report.stats.failed
            << '\n';
  return report.stats.balanced() ? 0 : 1;
}

// Expected output (agent names may differ):
//   greet-Ada: Hello, Ada! (by greeters-1)
//   greet-Grace: Hello, Grace! (by greeters-2)
//   greet-: permanent: no name to greet
//   completed 2, failed 1
