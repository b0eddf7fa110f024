// bench_locks: what a lock manager round costs, on CAF's real scheduler. In one run it measures
// lock acquire/release pairs per second (a) uncontended: one holder taking and releasing one lock
// in a loop, and (b) contended: 100 holders looping on the same lock (each waits in line), each
// against a plain CAF request/response loop of the same shape (two round trips to an actor that
// answers at once, by one loop or by 100 loops). The four run in interleaved rounds (plain 1,
// locks 1, plain 100, locks 100, ...) after a warm-up round; each figure is the median of its
// rounds with min and max; `ratio` is the median of the per-round locks/plain ratios of the
// uncontended loop, `contended_ratio` the same for 100 holders. Compare the ratios, not the
// absolute numbers.
//
// usage: bench_locks [--pairs N] [--holders H] [--rounds R] [--threads T] [--json]
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
#include "herd/herd.hpp"

namespace {

using go_atom = caf::atom_constant<caf::atom("go")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
using echo_atom = caf::atom_constant<caf::atom("echo")>;

struct options {
  int64_t pairs = 50000;
  int holders = 100;
  int rounds = 7;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool json = false;
};

const char* usage = "usage: bench_locks [--pairs N per side and round (50000)] "
                    "[--holders H contending (100)] [--rounds R (7)] "
                    "[--threads T (hardware threads)] [--json]";

/// Answers every `(echo_atom, name, n)` at once, as the lock manager answers a free lock.
caf::behavior echo() {
  return {[](echo_atom, const std::string&, uint64_t n) { return n; }};
}

/// Runs `pairs` acquire/release pairs on lock "bench" (or, with `plain`, two echo round trips
/// per pair), one after the other, then tells the sender of `go_atom`.
caf::behavior looper(caf::event_based_actor* self, caf::actor target, bool plain, int64_t pairs) {
  auto left = std::make_shared<int64_t>(0);
  auto boss = std::make_shared<caf::actor>();
  auto next = std::make_shared<std::function<void()>>();
  auto fail = [](caf::error& err) {
    std::cerr << "request failed: " << to_string(err) << "\n";
    std::exit(1);
  };
  auto locks = caf::actor_cast<herd::lock_manager_actor>(target);
  *next = [=] {
    if ((*left)-- == 0) {
      self->send(*boss, done_atom::value);
      return;
    }
    if (plain) {
      self->request(target, caf::infinite, echo_atom::value, std::string{"bench"}, uint64_t{1})
          .then(
              [=](uint64_t) {
                self->request(target, caf::infinite, echo_atom::value, std::string{"bench"},
                              uint64_t{2})
                    .then([=](uint64_t) { (*next)(); }, fail);
              },
              fail);
      return;
    }
    herd::lock_request r;
    r.name = "bench";
    self->request(locks, caf::infinite, herd::lock_acquire_atom::value, r)
        .then(
            [=](herd::lock_reply& granted) {
              if (!granted.ok) {
                std::cerr << "acquire failed: " << to_string(granted.error) << "\n";
                std::exit(1);
              }
              self->request(locks, caf::infinite, herd::lock_release_atom::value,
                            std::string{"bench"}, granted.grant.token)
                  .then([=](herd::lock_reply&) { (*next)(); }, fail);
            },
            fail);
  };
  return {[=](go_atom, const caf::actor& from) {
    *boss = from;
    *left = pairs;
    (*next)();
  }};
}

/// Pairs per wall second of `loops` loops sharing `opt.pairs` pairs against `target`.
double measure(caf::actor_system& sys, const caf::actor& target, bool plain, int loops,
               const options& opt) {
  caf::scoped_actor self{sys};
  std::vector<caf::actor> drivers;
  auto each = std::max<int64_t>(1, opt.pairs / loops);
  for (int i = 0; i < loops; ++i)
    drivers.push_back(sys.spawn(looper, target, plain, each));
  auto start = std::chrono::steady_clock::now();
  for (auto& d : drivers)
    self->send(d, go_atom::value, caf::actor_cast<caf::actor>(self));
  for (size_t i = 0; i < drivers.size(); ++i)
    self->receive([](done_atom) {});
  auto seconds = seconds_since(start);
  for (auto& d : drivers)
    self->send_exit(d, caf::exit_reason::user_shutdown);
  return static_cast<double>(each * loops) / seconds;
}

bool parse(int argc, char** argv, options& opt) {
  bench_flags flags;
  flags.count("--pairs", opt.pairs)
      .count("--holders", opt.holders)
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
  auto plain = sys.spawn(echo);
  herd::locks_config config;
  config.max_waiters = static_cast<uint32_t>(opt.holders) + 1; // every holder may wait
  config.wait_timeout = herd::from_ms(600000);
  auto locks = caf::actor_cast<caf::actor>(sys.spawn<herd::lock_manager>(config, nullptr));

  std::vector<double> plain_1, locks_1, plain_n, locks_n, ratios, contended_ratios;
  for (int round = 0; round <= opt.rounds; ++round) {
    auto p1 = measure(sys, plain, true, 1, opt);
    auto l1 = measure(sys, locks, false, 1, opt);
    auto pn = measure(sys, plain, true, opt.holders, opt);
    auto ln = measure(sys, locks, false, opt.holders, opt);
    if (round == 0)
      continue; // warm-up
    plain_1.push_back(p1);
    locks_1.push_back(l1);
    plain_n.push_back(pn);
    locks_n.push_back(ln);
    ratios.push_back(l1 / p1);
    contended_ratios.push_back(ln / pn);
  }
  nlohmann::json entry = {{"pairs", opt.pairs},
                          {"holders", opt.holders},
                          {"rounds", opt.rounds},
                          {"threads", opt.threads}};
  add_summary(entry, "plain_pairs_per_s", summarize(plain_1), 0);
  add_summary(entry, "uncontended_pairs_per_s", summarize(locks_1), 0);
  add_summary(entry, "ratio", summarize(ratios), 3);
  add_summary(entry, "plain_contended_pairs_per_s", summarize(plain_n), 0);
  add_summary(entry, "contended_pairs_per_s", summarize(locks_n), 0);
  add_summary(entry, "contended_ratio", summarize(contended_ratios), 3);
  if (opt.json) {
    std::cout << nlohmann::json{{"benchmark", "bench_locks"}, {"results", {entry}}}.dump() << "\n";
  } else {
    std::cout << "plain request/response pairs/s:    " << summarize(plain_1).median << "\n"
              << "lock pairs/s, uncontended:         " << summarize(locks_1).median << " (ratio "
              << summarize(ratios).median << ")\n"
              << "plain pairs/s, " << opt.holders
              << " loops:          " << summarize(plain_n).median << "\n"
              << "lock pairs/s, " << opt.holders
              << " holders on one lock: " << summarize(locks_n).median << " (ratio "
              << summarize(contended_ratios).median << ")\n";
  }
  caf::anon_send_exit(plain, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(locks, caf::exit_reason::user_shutdown);
  return 0;
}
