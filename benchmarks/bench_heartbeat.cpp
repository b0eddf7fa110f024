// bench_heartbeat: what watching N idle agents for hangs costs, in the same run for two designs:
//
// - naive: every agent arms its own CAF timer each second and sends a heartbeat message to the
//   health monitor (herd::agent's "heartbeats" watch mode), which runs a deadline detector per
//   agent;
// - herd (the runtime's default "board" mode): each herd::agent stamps its slot of a liveness
//   board (two relaxed atomic stores around each batch of task handlers) and sends nothing; the
//   health monitor's one check timer scans all slots and suspects an agent busy in one handler for
//   more than 2 intervals minus one check interval. In both designs the monitor runs on a thread
//   of its own (caf::detached), as herd::runtime spawns it. Crashes are found by CAF monitors in
//   both designs.
//
// It reports the CPU share (process CPU seconds per wall second, minus an empty system's), the
// time the herd design takes to find a hung agent, and heap bytes per idle herd agent (agent,
// monitor entry, board slot) against a bare CAF actor.
//
// Each agent count runs --rounds interleaved rounds (default 5) of idle system, naive, herd, each
// measured over one window of --window seconds (default 3); shares and the detection time are
// medians with min and max, and `ratio` is the median of the per-round herd/naive net ratios.
//
// usage: bench_heartbeat [--agents N[,N...]] [--window S] [--rounds R] [--threads T]
//                        [--check-ms C] [--json]
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_forks.hpp"
#include "bench_stats.hpp"
#include "herd/dispatch/protocol.hpp"
#include <caf/all.hpp>
#include <herd/dispatch/liveness_board.hpp>
#include <herd/herd.hpp>
#include <herd/supervision/health_monitor.hpp>
#include <herd/supervision/protocol.hpp>

namespace {

struct options {
  std::vector<int64_t> agents{10000, 100000};
  double window = 3.0;
  int rounds = 5;
  int threads = 2;
  int64_t check_ms = 250;
  bool json = false;
};

/// An agent that only waits for tasks (the naive design heartbeats from its own timer).
class idle_agent : public herd::agent {
public:
  using herd::agent::agent;
};

/// An agent whose handler blocks for `hang` (a hung handler: the scheduler thread is stuck in
/// it); herd::agent stamps its board slot around the handler.
class blocking_agent : public herd::agent {
public:
  blocking_agent(caf::actor_config& cfg, std::chrono::milliseconds hang)
      : herd::agent(cfg), hang_(hang) {}

protected:
  void handle_async(const herd::task&, herd::task_completion) override {
    if (hang_.count() > 0)
      std::this_thread::sleep_for(hang_);
  }

private:
  std::chrono::milliseconds hang_;
};

size_t heap_bytes() {
  return mallinfo2().uordblks;
}

struct bench_config : caf::actor_system_config {
  explicit bench_config(int threads) {
    set("scheduler.max-threads", threads);
    herd::announce_types(*this);
  }
};

/// CPU seconds per wall second while the system runs for `window` seconds.
double cpu_share_once(double window) {
  auto c0 = cpu_seconds();
  auto w0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(window));
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  return (cpu_seconds() - c0) / wall;
}

/// CPU seconds per wall second over one window of `window` seconds (other processes share this
/// machine: the rounds are interleaved and summarized by their median).
double cpu_share(double window) {
  auto share = cpu_share_once(window);
  if (std::getenv("HERD_BENCH_VERBOSE") != nullptr)
    std::cerr << "bench_heartbeat: window: " << share << '\n';
  return share;
}

herd::agent_settings settings_of(int64_t i, caf::actor target, herd::duration interval) {
  herd::agent_settings s;
  s.name = "a" + std::to_string(i);
  s.pool = "bench";
  s.heartbeat_target = std::move(target);
  s.heartbeat_interval = interval;
  return s;
}

/// Waits until `monitor` processed everything `self` sent it before.
void await_monitor(caf::scoped_actor& self, const caf::actor& monitor) {
  self->request(monitor, std::chrono::seconds(120), herd::tracked_count_atom::value)
      .receive([](uint64_t) {},
               [](caf::error& e) {
                 std::cerr << "bench_heartbeat: monitor did not answer: " << to_string(e) << '\n';
                 std::exit(1);
               });
}

herd::health_monitor_config monitor_config(const options& opt) {
  herd::health_monitor_config c; // deadline detector, 1 s interval, 2 missed
  c.check_interval = herd::from_ms(opt.check_ms);
  return c;
}

/// Spawns `n` board agents into `out`, each tracked by `monitor` through its slot; the first
/// one's handler hangs for `first_hang`.
void spawn_board_agents(caf::actor_system& sys, caf::scoped_actor& self, const caf::actor& monitor,
                        const std::shared_ptr<herd::liveness_board>& board, int64_t n,
                        std::chrono::milliseconds first_hang, std::vector<caf::actor>& out) {
  for (int64_t i = 0; i < n; ++i) {
    auto slot = board->acquire();
    auto a = sys.spawn<blocking_agent>(i == 0 ? first_hang : std::chrono::milliseconds(0));
    auto s = settings_of(i, monitor, herd::from_ms(1000));
    s.board = board;
    s.board_slot = slot;
    self->send(monitor, herd::track_atom::value, a, s.name,
               caf::actor_cast<herd::supervisor_actor>(self), static_cast<uint64_t>(slot));
    self->send(a, herd::setup_atom::value, std::move(s));
    out.push_back(std::move(a));
  }
  await_monitor(self, monitor);
}

double measure_baseline(const options& opt) {
  bench_config cfg{opt.threads};
  caf::actor_system sys{cfg};
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  return cpu_share(opt.window);
}

double measure_naive(const options& opt, int64_t n) {
  bench_config cfg{opt.threads};
  caf::actor_system sys{cfg};
  auto monitor = caf::actor_cast<caf::actor>(
      sys.spawn<herd::health_monitor, caf::detached>(monitor_config(opt), caf::actor{}, nullptr));
  std::vector<caf::actor> agents;
  agents.reserve(static_cast<size_t>(n));
  caf::scoped_actor self{sys};
  for (int64_t i = 0; i < n; ++i) {
    auto a = sys.spawn<idle_agent>();
    auto s = settings_of(i, monitor, herd::from_ms(1000));
    self->send(monitor, herd::track_atom::value, a, s.name,
               caf::actor_cast<herd::supervisor_actor>(self));
    self->send(a, herd::setup_atom::value, std::move(s));
    agents.push_back(std::move(a));
  }
  await_monitor(self, monitor);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto share = cpu_share(opt.window);
  for (auto& a : agents)
    self->send_exit(a, caf::exit_reason::kill);
  self->send_exit(monitor, caf::exit_reason::kill);
  return share;
}

struct herd_result {
  double share = 0;
  double detect_s = 0;
};

herd_result measure_herd(const options& opt, int64_t n) {
  // The board outlives the system: agents write it until they are gone.
  auto board = std::make_shared<herd::liveness_board>(static_cast<size_t>(n));
  bench_config cfg{opt.threads};
  caf::actor_system sys{cfg};
  auto monitor = caf::actor_cast<caf::actor>(sys.spawn<herd::health_monitor, caf::detached>(
      monitor_config(opt), caf::actor{}, nullptr, board));
  std::vector<caf::actor> agents;
  agents.reserve(static_cast<size_t>(n));
  caf::scoped_actor self{sys};
  spawn_board_agents(sys, self, monitor, board, n, std::chrono::milliseconds(4000), agents);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  herd_result r;
  r.share = cpu_share(opt.window);
  // Agent 0 takes a task and hangs in its handler for 4 s.
  auto start = std::chrono::steady_clock::now();
  caf::anon_send(agents[0], herd::lease_atom::value, std::vector<uint64_t>{1},
                 std::vector<herd::task>{herd::task::make("hang", "bench", nullptr, "bench")});
  self->receive(
      [&](herd::suspect_atom, const caf::actor&, const std::string&, const std::string&) {
        r.detect_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      },
      caf::after(std::chrono::seconds(10)) >> [&] { r.detect_s = -1; });
  for (auto& a : agents)
    self->send_exit(a, caf::exit_reason::kill);
  self->send_exit(monitor, caf::exit_reason::kill);
  return r;
}

/// Heap bytes per actor for `n` bare CAF actors, and per idle herd agent watched by the monitor.
std::pair<double, double> measure_memory(const options& opt, int64_t n) {
  std::shared_ptr<herd::liveness_board> board; // outlives the system
  bench_config cfg{opt.threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(1500)); };
  settle();
  std::vector<caf::actor> bare;
  bare.reserve(static_cast<size_t>(n));
  auto h0 = heap_bytes();
  for (int64_t i = 0; i < n; ++i)
    bare.push_back(sys.spawn([](caf::event_based_actor*) -> caf::behavior {
      return {[](herd::setup_atom, herd::agent_settings&) {}};
    }));
  settle();
  auto bare_bytes = static_cast<double>(heap_bytes() - h0) / static_cast<double>(n);
  for (auto& a : bare)
    self->send_exit(a, caf::exit_reason::kill);
  bare.clear();
  settle();
  std::vector<caf::actor> agents;
  agents.reserve(static_cast<size_t>(n));
  auto h1 = heap_bytes();
  board = std::make_shared<herd::liveness_board>(static_cast<size_t>(n));
  auto monitor = caf::actor_cast<caf::actor>(sys.spawn<herd::health_monitor, caf::detached>(
      monitor_config(opt), caf::actor{}, nullptr, board));
  spawn_board_agents(sys, self, monitor, board, n, std::chrono::milliseconds(0), agents);
  settle();
  auto agent_bytes = static_cast<double>(heap_bytes() - h1) / static_cast<double>(n);
  for (auto& a : agents)
    self->send_exit(a, caf::exit_reason::kill);
  self->send_exit(monitor, caf::exit_reason::kill);
  return {agent_bytes, bare_bytes};
}

} // namespace

int main(int argc, char** argv) {
  if (auto code = run_forks(argc, argv))
    return *code;
  options opt;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "bench_heartbeat: " << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--agents") {
      opt.agents.clear();
      std::stringstream list{value()};
      for (std::string item; std::getline(list, item, ',');)
        opt.agents.push_back(std::stoll(item));
    } else if (arg == "--window") {
      opt.window = std::stod(value());
    } else if (arg == "--rounds") {
      opt.rounds = std::max(1, std::stoi(value()));
    } else if (arg == "--check-ms") {
      opt.check_ms = std::stoll(value());
    } else if (arg == "--threads") {
      opt.threads = std::stoi(value());
    } else if (arg == "--json") {
      opt.json = true;
    } else {
      std::cerr << "usage: bench_heartbeat [--agents N[,N...]] [--window S] [--rounds R] "
                   "[--threads T] [--check-ms C] [--json]\n";
      return arg == "--help" ? 0 : 2;
    }
  }
  herd::set_log_level("off");
  auto results = nlohmann::json::array();
  for (auto n : opt.agents) {
    std::vector<double> baselines, naive_nets, herd_nets, ratios, detects, naive_gross, herd_gross;
    for (int round = 0; round < opt.rounds; ++round) { // interleaved: idle, naive, herd, ...
      auto baseline = measure_baseline(opt);
      auto naive = measure_naive(opt, n);
      auto ours = measure_herd(opt, n);
      auto naive_net = std::max(0.0, naive - baseline);
      auto herd_net = std::max(0.0, ours.share - baseline);
      baselines.push_back(baseline);
      naive_gross.push_back(naive);
      herd_gross.push_back(ours.share);
      naive_nets.push_back(naive_net);
      herd_nets.push_back(herd_net);
      ratios.push_back(naive_net > 0 ? herd_net / naive_net : 0.0);
      detects.push_back(ours.detect_s);
    }
    auto [agent_bytes, bare_bytes] = measure_memory(opt, n);
    nlohmann::json r{{"agents", n},
                     {"rounds", opt.rounds},
                     {"bytes_per_agent", agent_bytes},
                     {"bytes_per_bare_actor", bare_bytes},
                     {"window_s", opt.window},
                     {"threads", opt.threads},
                     {"check_ms", opt.check_ms}};
    add_summary(r, "herd_cpu_share", summarize(herd_nets), 4);
    add_summary(r, "naive_cpu_share", summarize(naive_nets), 4);
    add_summary(r, "ratio", summarize(ratios), 4);
    add_summary(r, "detect_s", summarize(detects), 3);
    add_summary(r, "baseline_cpu_share", summarize(baselines), 4);
    add_summary(r, "herd_cpu_share_gross", summarize(herd_gross), 4);
    add_summary(r, "naive_cpu_share_gross", summarize(naive_gross), 4);
    if (!opt.json)
      std::cout << r.dump() << std::endl;
    results.push_back(std::move(r));
  }
  if (opt.json)
    std::cout << nlohmann::json{{"benchmark", "bench_heartbeat"},
                                {"design", "liveness board scanned by one timer vs per-agent "
                                           "heartbeat timers and messages"},
                                {"results", results}}
                     .dump()
              << '\n';
  return 0;
}
