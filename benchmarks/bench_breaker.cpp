// bench_breaker: the cost of a circuit breaker in front of a service actor, on CAF's real
// scheduler. In one run it measures calls per second sent straight to a service actor, the same
// calls through a closed breaker, and calls a breaker rejects while open, with many calls in
// flight. The three run in interleaved rounds (direct, closed, open, direct, ...) after a warm-up
// round; each figure is the median of its rounds with min and max, and `ratio` is the median of
// the per-round closed/direct ratios of calls per wall second, `cpu_ratio` the same of calls per
// CPU second of the process (steadier on a shared machine). Compare the ratios, not the absolute
// numbers.
//
// usage: bench_breaker [--calls N] [--drivers D] [--in-flight K] [--rounds R] [--threads T]
//                      [--json]
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "bench_flags.hpp"
#include "bench_forks.hpp"
#include "bench_stats.hpp"
#include "herd/breakers/circuit_breaker.hpp"
#include "herd/breakers/protocol.hpp"
#include "herd/herd.hpp"

namespace {

using go_atom = caf::atom_constant<caf::atom("go")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

struct options {
  int64_t calls = 200000;
  int drivers = 4;
  int in_flight = 64;
  int rounds = 11;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool json = false;
};

const char* usage = "usage: bench_breaker [--calls N (200000)] [--drivers D (4)] "
                    "[--in-flight K per driver (64)] [--rounds R (11)] "
                    "[--threads T (hardware threads)] [--json]";

/// A service that answers every call at once.
caf::behavior echo_service() {
  return {[](herd::call_atom, const std::string&) { return herd::outcome::success(); }};
}

/// Keeps `in_flight` calls to `target` going until `calls` have answered, then tells `boss`.
caf::behavior driver(caf::event_based_actor* self, caf::actor target, int64_t calls,
                     int in_flight) {
  auto issued = std::make_shared<int64_t>(0);
  auto answered = std::make_shared<int64_t>(0);
  auto boss = std::make_shared<caf::actor>();
  auto fire = std::make_shared<std::function<void()>>();
  *fire = [=] {
    ++*issued;
    self->request(target, caf::infinite, herd::call_atom::value, std::string{"{}"})
        .then(
            [=](herd::outcome&) {
              if (++*answered == calls)
                self->send(*boss, done_atom::value);
              else if (*issued < calls)
                (*fire)();
            },
            [=](caf::error& err) {
              std::cerr << "call failed: " << to_string(err) << "\n";
              std::exit(1);
            });
  };
  return {[=](go_atom, const caf::actor& from) {
    *boss = from;
    *issued = *answered = 0;
    for (int i = 0; i < in_flight && *issued < calls; ++i)
      (*fire)();
  }};
}

/// What one side of one round did: calls per wall second and per CPU second of the process.
struct rates {
  double per_s = 0;
  double per_cpu_s = 0;
};

/// The rates of `drivers` drivers sending `opt.calls` calls in all to `target`.
rates measure(caf::actor_system& sys, const caf::actor& target, const options& opt) {
  caf::scoped_actor self{sys};
  std::vector<caf::actor> drivers;
  for (int i = 0; i < opt.drivers; ++i)
    drivers.push_back(sys.spawn(driver, target, opt.calls / opt.drivers, opt.in_flight));
  auto start = sys.clock().now();
  auto cpu_start = cpu_seconds();
  for (auto& d : drivers)
    self->send(d, go_atom::value, caf::actor_cast<caf::actor>(self));
  for (size_t i = 0; i < drivers.size(); ++i)
    self->receive([](done_atom) {});
  auto seconds = std::chrono::duration<double>(sys.clock().now() - start).count();
  auto cpu = cpu_seconds() - cpu_start;
  for (auto& d : drivers)
    self->send_exit(d, caf::exit_reason::user_shutdown);
  auto calls = static_cast<double>(opt.calls / opt.drivers * opt.drivers);
  return {calls / seconds, calls / cpu};
}

bool parse(int argc, char** argv, options& opt) {
  bench_flags flags;
  flags.count("--calls", opt.calls)
      .count("--drivers", opt.drivers)
      .count("--in-flight", opt.in_flight)
      .count("--rounds", opt.rounds)
      .count("--threads", opt.threads)
      .flag("--json", opt.json);
  return flags.parse(argc, argv);
}

} // namespace

int main(int argc, char** argv) {
  if (auto code = run_forks(argc, argv))
    return *code;
  options opt;
  if (!parse(argc, argv, opt)) {
    std::cerr << usage << "\n";
    return 2;
  }
  herd::set_log_level("warn");
  caf::actor_system_config cfg;
  herd::announce_types(cfg);
  cfg.set("scheduler.max-threads", opt.threads);
  caf::actor_system sys{cfg};
  auto service = sys.spawn(echo_service);
  // Agents hold a breaker as a `caf::actor`, as they hold a service.
  auto breaker = caf::actor_cast<caf::actor>(sys.spawn<herd::circuit_breaker>(
      "bench", "echo", service, herd::breaker_policy{}, nullptr, uint64_t{1}));
  auto rejecting = caf::actor_cast<caf::actor>(sys.spawn<herd::circuit_breaker>(
      "bench-open", "echo", service, herd::breaker_policy{}, nullptr, uint64_t{2}));
  caf::anon_send(rejecting, herd::transition_atom::value, herd::breaker_state::forced_open);

  // R interleaved rounds after one warm-up round; per-round ratios, so drift hits both sides.
  std::vector<double> direct, closed, open, ratios, open_ratios, cpu_ratios;
  for (int round = 0; round <= opt.rounds; ++round) {
    auto d = measure(sys, service, opt);
    auto c = measure(sys, breaker, opt);
    auto o = measure(sys, rejecting, opt);
    if (round == 0)
      continue;
    direct.push_back(d.per_s);
    closed.push_back(c.per_s);
    open.push_back(o.per_s);
    ratios.push_back(c.per_s / d.per_s);
    open_ratios.push_back(o.per_s / d.per_s);
    cpu_ratios.push_back(c.per_cpu_s / d.per_cpu_s);
  }
  auto ratio = summarize(ratios);
  nlohmann::json entry = {{"calls", opt.calls},
                          {"drivers", opt.drivers},
                          {"in_flight", opt.drivers * opt.in_flight},
                          {"rounds", opt.rounds},
                          {"threads", opt.threads}};
  add_summary(entry, "direct_calls_per_s", summarize(direct), 0);
  add_summary(entry, "closed_calls_per_s", summarize(closed), 0);
  add_summary(entry, "ratio", ratio, 3);
  add_summary(entry, "open_rejections_per_s", summarize(open), 0);
  add_summary(entry, "open_ratio", summarize(open_ratios), 3);
  // Calls per CPU second of the process: what other processes on the machine take from the
  // benchmark's threads does not count.
  add_summary(entry, "cpu_ratio", summarize(cpu_ratios), 3);
  if (opt.json) {
    std::cout << nlohmann::json{{"benchmark", "bench_breaker"}, {"results", {entry}}}.dump()
              << "\n";
  } else {
    std::cout << "direct calls/s:          " << summarize(direct).median << "\n"
              << "through closed breaker:  " << summarize(closed).median << " (ratio "
              << ratio.median << ", " << ratio.min << "-" << ratio.max << " over " << opt.rounds
              << " rounds)\n"
              << "rejections/s while open: " << summarize(open).median << "\n";
  }
  for (auto& a : {service, breaker, rejecting})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  return 0;
}
