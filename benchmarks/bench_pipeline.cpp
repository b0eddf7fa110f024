// bench_pipeline: tasks per second through submit -> dispatcher -> agent -> outcome, next to a
// plain CAF request/response loop between two actors in the same run, with the same number of
// requests in flight, for 1 and 2 scheduler threads. The two run in interleaved rounds (pipeline,
// raw, pipeline, raw, ...) after a warm-up pair; rates are medians with min and max, `ratio` is
// the median of the per-round pipeline/raw ratios, `cpu_ratio` the same per CPU second of the
// process (steadier on a shared machine).
//
// usage: bench_pipeline [--tasks N] [--window W] [--agents A] [--rounds R] [--json]
#include <algorithm>
#include <chrono>
#include <cstring>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include "bench_forks.hpp"
#include "bench_stats.hpp"
#include "herd/dispatch/protocol.hpp"
#include <herd/herd.hpp>

namespace {

struct options {
  int64_t tasks = 50000;
  int64_t window = 256;
  int64_t agents = 8;
  int rounds = 7;
  bool json = false;
};

/// Answers every task at once.
class trivial_agent : public herd::agent {
public:
  using herd::agent::agent;

protected:
  herd::outcome handle(const herd::task&) override { return herd::outcome::success(1); }
};

/// Keeps `window` requests in flight until `total` answers of type `Response` came back; `make`
/// builds each request.
template <class Response, class MakeRequest>
void closed_loop(caf::event_based_actor* self, caf::actor target, int64_t total, int64_t window,
                 MakeRequest make, std::shared_ptr<std::promise<void>> done) {
  auto sent = std::make_shared<int64_t>(0);
  auto received = std::make_shared<int64_t>(0);
  auto send_one = std::make_shared<std::function<void()>>();
  *send_one = [=] {
    auto n = (*sent)++;
    self->request(target, caf::infinite, make(n))
        .then(
            [=](Response&) {
              if (++*received == total)
                done->set_value();
              else if (*sent < total)
                (*send_one)();
            },
            [=](caf::error& e) {
              std::cerr << "bench_pipeline: request failed: " << to_string(e) << '\n';
              std::exit(1);
            });
  };
  for (int64_t i = 0; i < std::min(window, total); ++i)
    (*send_one)();
}

double run_pipeline(herd::runtime& rt, const options& opt, int round) {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  auto prefix = "r" + std::to_string(round) + "-";
  auto start = std::chrono::steady_clock::now();
  rt.system().spawn([&, done, prefix](caf::event_based_actor* self) {
    closed_loop<herd::outcome>(
        self, caf::actor_cast<caf::actor>(rt.dispatcher()), opt.tasks, opt.window,
        [prefix](int64_t n) {
          return caf::make_message(
              herd::submit_atom::value,
              herd::task::make(prefix + std::to_string(n), "bench", nullptr, "bench"));
        },
        done);
  });
  finished.wait();
  return static_cast<double>(opt.tasks) / seconds_since(start);
}

double run_raw(caf::actor_system& sys, const options& opt) {
  auto echo = sys.spawn([](caf::event_based_actor*) -> caf::behavior {
    return {[](herd::call_atom, int64_t n) { return n; }};
  });
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  auto start = std::chrono::steady_clock::now();
  sys.spawn([&, done](caf::event_based_actor* self) {
    closed_loop<int64_t>(
        self, echo, opt.tasks, opt.window,
        [](int64_t n) { return caf::make_message(herd::call_atom::value, n); }, done);
  });
  finished.wait();
  auto rate = static_cast<double>(opt.tasks) / seconds_since(start);
  caf::anon_send_exit(echo, caf::exit_reason::user_shutdown);
  return rate;
}

} // namespace

int main(int argc, char** argv) {
  if (auto code = run_forks(argc, argv))
    return *code;
  options opt;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&] {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << arg << '\n';
        std::exit(2);
      }
      return std::stoll(argv[++i]);
    };
    if (arg == "--tasks")
      opt.tasks = value();
    else if (arg == "--window")
      opt.window = value();
    else if (arg == "--agents")
      opt.agents = value();
    else if (arg == "--rounds")
      opt.rounds = static_cast<int>(value());
    else if (arg == "--json")
      opt.json = true;
    else {
      std::cerr << "usage: bench_pipeline [--tasks N] [--window W] [--agents A] [--rounds R] "
                   "[--json]\n";
      return arg == "--help" ? 0 : 2;
    }
  }
  auto results = nlohmann::json::array();
  for (int threads : {1, 2}) {
    herd::runtime_config config;
    config.threads = threads;
    config.log_level = "warn";
    config.dispatcher.intake_capacity = opt.window * 2;
    config.dispatcher.completed_capacity = opt.tasks * (opt.rounds + 1) + 1;
    config.pools["bench"].concurrency = static_cast<int32_t>(opt.window);
    config.policies["bench"] = herd::failure_policy::preset("default");
    herd::runtime rt{config};
    rt.spawn_pool<trivial_agent>("bench", static_cast<size_t>(opt.agents));
    std::vector<double> pipeline;
    std::vector<double> raw;
    std::vector<double> ratios;
    std::vector<double> cpu_ratios;
    run_pipeline(rt, opt, opt.rounds); // warm-up pair, not counted
    run_raw(rt.system(), opt);
    for (int round = 0; round < opt.rounds; ++round) { // interleaved, so drift hits both alike
      auto cpu_start = cpu_seconds();
      pipeline.push_back(run_pipeline(rt, opt, round));
      auto pipeline_cpu = cpu_seconds() - cpu_start;
      cpu_start = cpu_seconds();
      raw.push_back(run_raw(rt.system(), opt));
      auto raw_cpu = cpu_seconds() - cpu_start;
      ratios.push_back(pipeline.back() / raw.back());
      cpu_ratios.push_back(raw_cpu /
                           pipeline_cpu); // tasks per CPU second over calls per CPU second
    }
    auto ratio = summarize(ratios);
    nlohmann::json entry = {{"threads", threads}, {"rounds", opt.rounds}};
    add_summary(entry, "tasks_per_s", summarize(pipeline), 0);
    add_summary(entry, "raw_rpc_per_s", summarize(raw), 0);
    add_summary(entry, "ratio", ratio, 3);
    add_summary(entry, "cpu_ratio", summarize(cpu_ratios), 3);
    results.push_back(entry);
    auto report = rt.shutdown(herd::from_ms(10000));
    if (!report.stats.balanced() ||
        report.stats.completed != uint64_t(opt.tasks * (opt.rounds + 1))) {
      std::cerr << "bench_pipeline: accounting mismatch: " << report.stats.to_json() << '\n';
      return 1;
    }
    if (!opt.json)
      std::cout << "threads " << threads << ": pipeline " << summarize(pipeline).median
                << " tasks/s, raw rpc " << summarize(raw).median << " /s, ratio " << ratio.median
                << " (" << ratio.min << "-" << ratio.max << ")\n";
  }
  if (opt.json)
    std::cout << nlohmann::json{{"benchmark", "bench_pipeline"}, {"results", results}}.dump()
              << '\n';
  return 0;
}
