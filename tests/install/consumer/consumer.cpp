// A project outside herd's tree: installed headers, find_package(herd), a herd::agent subclass.
#include <iostream>

#include <herd/herd.hpp>

class doubler : public herd::agent {
public:
  using herd::agent::agent;

protected:
  herd::outcome handle(const herd::task& t) override {
    return herd::outcome::success(t.payload_json().get<int>() * 2);
  }
};

int main() {
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
  return completed == 3 ? 0 : 1;
}
