// bench_heartbeat: what watching N idle agents for hangs costs, in the same run for two designs:
//
// - naive: every agent arms its own CAF timer each second and sends a heartbeat message to the
//   health monitor (herd::agent's "heartbeats" watch mode), which runs a deadline detector per
//   agent. Agent i starts its timer i/N of a second after the first, so the heartbeats of the N
//   agents are spread over the second, as those of agents started at unrelated times are: 10^4
//   agents then cost about 0.4-0.7 of a core here, falling over a system's life as the timers,
//   re-armed when handled, drift into batches. With --burst all start in the one burst in which
//   they are spawned (about 0.2 s), and the monitor takes their heartbeats in batches a second
//   apart: about 0.12-0.17 of a core, varying with the burst;
// - herd (the runtime's default "board" mode): each herd::agent stamps its slot of a liveness
//   board (two relaxed atomic stores around each batch of task handlers) and sends nothing; the
//   health monitor's one check timer scans all slots and suspects an agent busy in one handler for
//   more than 2 intervals minus one check interval. In both designs the monitor runs on a thread
//   of its own (caf::detached), as herd::runtime spawns it. Crashes are found by CAF monitors in
//   both designs.
//
// It reports each design's CPU share (whole, and net of an idle system's), the time the herd
// design takes to find a hung agent, and heap bytes per idle herd agent (agent, monitor entry,
// board slot) against a bare CAF actor.
//
// Each round starts three actor systems in this process, alive at once: an idle one, the naive
// design's and herd's, each watching N agents. After 2 s of settling, --windows consecutive
// windows (default 1) of --window seconds (default 3) each measure each system's CPU share from
// the threads it started (scheduler workers, clock, the detached monitor; the kernel's per-thread
// run time): a window common to the three, so drift of the machine's speed hits all three alike.
// Then herd's first agent hangs and the time to its suspicion is taken. Shares are medians over
// the windows of --rounds rounds (default 5), the detection time over the rounds, with min and
// max. `ratio` is the median of the per-window ratios of the two systems' whole shares (herd's
// / naive's): it charges herd with the idle polling every CAF system pays (about 0.00003 here,
// a tenth of herd's share), so it overstates herd's cost a little, and it is steadier than
// `net_ratio`, the median of the per-window ratios net of the idle system's share, into which
// that third system's own noise enters in full (its per-process medians vary 2x). More windows a
// round give more samples for the time that starting systems and detecting a hang take.
//
// Idle CAF workers wake every `work-stealing.relaxed-sleep-duration` (CAF's default 10 ms) to
// poll and steal: about 0.006 CPU share on this machine, varying by +-0.002 between systems, which
// is more than herd's whole watching cost (about 0.001) and made the ratio a draw of that noise.
// All three systems here use --relaxed-sleep-ms (default 1000): an idle system then costs about
// 0.00004, and the naive design's share does not change (its messages keep the workers awake; a
// sleeping worker is woken when a job is enqueued to it).
//
// usage: bench_heartbeat [--agents N[,N...]] [--window S] [--windows K] [--rounds R]
//                        [--threads T] [--check-ms C] [--relaxed-sleep-ms M] [--burst] [--json]
#include <dirent.h>
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
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
  int windows = 1;
  int rounds = 5;
  int threads = 2;
  int64_t check_ms = 250;
  int64_t relaxed_sleep_ms = 1000;
  bool burst = false;
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
  explicit bench_config(const options& opt) {
    set("scheduler.max-threads", opt.threads);
    set("work-stealing.relaxed-sleep-duration",
        caf::timespan{std::chrono::milliseconds(opt.relaxed_sleep_ms)});
    herd::announce_types(*this);
  }
};

/// This process's thread ids (/proc/self/task).
std::set<int> thread_ids() {
  std::set<int> ids;
  if (auto* dir = opendir("/proc/self/task")) {
    while (auto* entry = readdir(dir))
      if (entry->d_name[0] != '.')
        ids.insert(std::atoi(entry->d_name));
    closedir(dir);
  }
  return ids;
}

/// The threads started since `before` was taken.
std::vector<int> threads_since(const std::set<int>& before) {
  std::vector<int> fresh;
  for (auto id : thread_ids())
    if (before.count(id) == 0)
      fresh.push_back(id);
  return fresh;
}

/// CPU seconds `threads` ran so far: the kernel's per-thread run time in nanoseconds
/// (/proc/self/task/TID/schedstat), which a thread that exited no longer adds to.
double cpu_seconds_of(const std::vector<int>& threads) {
  double total = 0;
  for (auto id : threads) {
    std::ifstream stat{"/proc/self/task/" + std::to_string(id) + "/schedstat"};
    double ns = 0;
    if (stat >> ns)
      total += ns * 1e-9;
  }
  return total;
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

/// One actor system of a round, alive beside the other two: idle (nothing spawned), naive
/// (agents that send heartbeats) or herd (agents on a liveness board); `threads` are the ones
/// it started, whose CPU is its share.
struct watched_system {
  /// The board of the herd design (outlives the system: agents write it until they are gone).
  std::shared_ptr<herd::liveness_board> board;
  /// The system's configuration (outlives the system).
  std::unique_ptr<bench_config> cfg;
  /// The system.
  std::unique_ptr<caf::actor_system> sys;
  /// The supervisor the monitor reports suspects to.
  std::unique_ptr<caf::scoped_actor> self;
  /// The health monitor (none in the idle system).
  caf::actor monitor;
  /// The watched agents.
  std::vector<caf::actor> agents;
  /// The threads the system started (its scheduler's, its clock's, the detached monitor's).
  std::vector<int> threads;

  ~watched_system() {
    for (auto& a : agents)
      caf::anon_send_exit(a, caf::exit_reason::kill);
    if (monitor)
      caf::anon_send_exit(monitor, caf::exit_reason::kill);
  }
};

enum class design { idle, naive, herd };

/// Starts a system of `kind` watching `n` agents (none if idle); herd's first agent hangs for
/// 4 s in its handler once it takes a task.
std::unique_ptr<watched_system> start_system(const options& opt, design kind, int64_t n) {
  auto before = thread_ids();
  auto w = std::make_unique<watched_system>();
  w->cfg = std::make_unique<bench_config>(opt);
  w->sys = std::make_unique<caf::actor_system>(*w->cfg);
  w->self = std::make_unique<caf::scoped_actor>(*w->sys);
  auto& sys = *w->sys;
  auto& self = *w->self;
  if (kind == design::naive) {
    w->monitor = caf::actor_cast<caf::actor>(
        sys.spawn<herd::health_monitor, caf::detached>(monitor_config(opt), caf::actor{}, nullptr));
    w->agents.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      auto a = sys.spawn<idle_agent>();
      auto s = settings_of(i, w->monitor, herd::from_ms(1000));
      self->send(w->monitor, herd::track_atom::value, a, s.name,
                 caf::actor_cast<herd::supervisor_actor>(self));
      // Agent i starts its heartbeat timer i/n of an interval late (at once with --burst).
      auto phase = std::chrono::microseconds(opt.burst ? 0 : 1000000 * i / n);
      caf::delayed_anon_send(a, phase, herd::setup_atom::value, std::move(s));
      w->agents.push_back(std::move(a));
    }
    await_monitor(self, w->monitor);
  } else if (kind == design::herd) {
    w->board = std::make_shared<herd::liveness_board>(static_cast<size_t>(n));
    w->monitor = caf::actor_cast<caf::actor>(sys.spawn<herd::health_monitor, caf::detached>(
        monitor_config(opt), caf::actor{}, nullptr, w->board));
    w->agents.reserve(static_cast<size_t>(n));
    spawn_board_agents(sys, self, w->monitor, w->board, n, std::chrono::milliseconds(4000),
                       w->agents);
  }
  w->threads = threads_since(before);
  return w;
}

/// Seconds until the herd system's monitor suspects its first agent, hung in its handler from
/// now (-1: not within 10 s).
double detect_hang(watched_system& w) {
  auto start = std::chrono::steady_clock::now();
  caf::anon_send(w.agents[0], herd::lease_atom::value, std::vector<uint64_t>{1},
                 std::vector<herd::task>{herd::task::make("hang", "bench", nullptr, "bench")});
  double detect_s = -1;
  (*w.self)->receive(
      [&](herd::suspect_atom, const caf::actor&, const std::string&, const std::string&) {
        detect_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      },
      caf::after(std::chrono::seconds(10)) >> [] {});
  return detect_s;
}

/// The CPU shares (CPU seconds of its threads per wall second) of `systems` over one common
/// window of `window` seconds: drift of the machine's speed hits all of them alike.
std::vector<double> cpu_shares(const std::vector<watched_system*>& systems, double window) {
  std::vector<double> before;
  for (auto* w : systems)
    before.push_back(cpu_seconds_of(w->threads));
  auto w0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(window));
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  std::vector<double> shares;
  for (size_t i = 0; i < systems.size(); ++i)
    shares.push_back((cpu_seconds_of(systems[i]->threads) - before[i]) / wall);
  return shares;
}

/// The CPU shares of every window: gross per system, net of the idle system's, and the ratios of
/// herd's to naive's, gross and net.
struct window_shares {
  std::vector<double> baselines, naive_gross, herd_gross, naive_nets, herd_nets, gross_ratios,
      net_ratios;

  /// Records one window's shares of the idle, naive and herd systems.
  void add(double baseline, double naive, double ours) {
    if (std::getenv("HERD_BENCH_VERBOSE") != nullptr)
      std::cerr << "bench_heartbeat: window: idle " << baseline << ", naive " << naive << ", herd "
                << ours << '\n';
    auto naive_net = std::max(0.0, naive - baseline);
    auto herd_net = std::max(0.0, ours - baseline);
    baselines.push_back(baseline);
    naive_gross.push_back(naive);
    herd_gross.push_back(ours);
    naive_nets.push_back(naive_net);
    herd_nets.push_back(herd_net);
    auto ratio = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
    gross_ratios.push_back(ratio(ours, naive));
    net_ratios.push_back(ratio(herd_net, naive_net));
  }
};

/// Heap bytes per actor for `n` bare CAF actors, and per idle herd agent watched by the monitor.
std::pair<double, double> measure_memory(const options& opt, int64_t n) {
  std::shared_ptr<herd::liveness_board> board; // outlives the system
  bench_config cfg{opt};
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
    } else if (arg == "--windows") {
      opt.windows = std::max(1, std::stoi(value()));
    } else if (arg == "--rounds") {
      opt.rounds = std::max(1, std::stoi(value()));
    } else if (arg == "--check-ms") {
      opt.check_ms = std::stoll(value());
    } else if (arg == "--relaxed-sleep-ms") {
      opt.relaxed_sleep_ms = std::stoll(value());
    } else if (arg == "--threads") {
      opt.threads = std::stoi(value());
    } else if (arg == "--burst") {
      opt.burst = true;
    } else if (arg == "--json") {
      opt.json = true;
    } else {
      std::cerr
          << "usage: bench_heartbeat [--agents N[,N...]] [--window S] [--windows K] [--rounds R] "
             "[--threads T] [--check-ms C] [--relaxed-sleep-ms M] [--burst] [--json]\n";
      return arg == "--help" ? 0 : 2;
    }
  }
  herd::set_log_level("off");
  auto results = nlohmann::json::array();
  for (auto n : opt.agents) {
    window_shares windows;
    std::vector<double> detects;
    for (int round = 0; round < opt.rounds; ++round) { // idle, naive, herd alive at once
      auto idle = start_system(opt, design::idle, 0);
      auto naive_system = start_system(opt, design::naive, n);
      auto herd_system = start_system(opt, design::herd, n);
      std::this_thread::sleep_for(std::chrono::seconds(2));
      for (int window = 0; window < opt.windows; ++window) { // each window one sample
        auto shares = cpu_shares({idle.get(), naive_system.get(), herd_system.get()}, opt.window);
        windows.add(shares[0], shares[1], shares[2]);
      }
      detects.push_back(detect_hang(*herd_system));
    }
    auto [agent_bytes, bare_bytes] = measure_memory(opt, n);
    nlohmann::json r{{"agents", n},
                     {"rounds", opt.rounds},
                     {"bytes_per_agent", agent_bytes},
                     {"bytes_per_bare_actor", bare_bytes},
                     {"window_s", opt.window},
                     {"windows_per_round", opt.windows},
                     {"threads", opt.threads},
                     {"check_ms", opt.check_ms},
                     {"relaxed_sleep_ms", opt.relaxed_sleep_ms},
                     {"heartbeat_phases", opt.burst ? "burst" : "spread"}};
    add_summary(r, "herd_cpu_share", summarize(windows.herd_nets), 6);
    add_summary(r, "naive_cpu_share", summarize(windows.naive_nets), 6);
    add_summary(r, "ratio", summarize(windows.gross_ratios), 6);
    add_summary(r, "net_ratio", summarize(windows.net_ratios), 6);
    add_summary(r, "detect_s", summarize(detects), 3);
    add_summary(r, "baseline_cpu_share", summarize(windows.baselines), 6);
    add_summary(r, "herd_cpu_share_gross", summarize(windows.herd_gross), 6);
    add_summary(r, "naive_cpu_share_gross", summarize(windows.naive_gross), 6);
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
