// bench_remote: tasks per second from a coordinator to agents in another process over loopback
// (submit -> dispatcher -> remote agent -> report -> outcome), next to a raw CAF remote
// request/response loop between the same two processes, in interleaved rounds of the same run
// (`ratio` = herd / raw per round; median, min, max; target >= 0.35); and the time from a
// worker's death (SIGKILL) to its leases being re-queued (target <= the connection timeout +
// one check interval; a killed process closes its socket, so the coordinator sees it at once).
//
// usage: bench_remote [--tasks N] [--window W] [--agents A] [--rounds R] [--json]
//        (it runs itself as the worker: bench_remote --worker PORT AGENTS FD)
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <caf/io/middleman.hpp>
#include <herd/distribution/echo_agent.hpp>
#include <herd/distribution/worker.hpp>
#include <herd/herd.hpp>

#include "bench_flags.hpp"
#include "bench_stats.hpp"

namespace {

constexpr const char* usage =
    "usage: bench_remote [--tasks N] [--window W] [--agents A] [--rounds R] [--json]\n";

struct options {
  int64_t tasks = 20000;
  int64_t window = 256;
  int64_t agents = 4;
  int64_t rounds = 5;
  bool json = false;
};

/// The node settings both processes share.
herd::runtime_config fleet_config() {
  herd::runtime_config config;
  config.log_level = "warn";
  config.threads = 2;
  config.node.heartbeat_interval = herd::from_ms(200);
  config.node.connection_timeout = herd::from_ms(1000);
  return config;
}

/// The worker: `agents` echo agents joined to pool "remote", plus a raw CAF echo actor
/// published on a picked port, written to `fd`; runs until killed.
int run_worker(uint16_t port, int agents, int fd) {
  herd::worker_options options;
  options.port = port;
  options.pool = "remote";
  options.agents = agents;
  herd::worker w{fleet_config(), options,
                 [](caf::actor_system& sys) { return sys.spawn<herd::echo_agent>(); }};
  if (!w.await_registration(herd::from_ms(30000)))
    return 1;
  auto raw = w.system().spawn([]() -> caf::behavior { return {[](int64_t x) { return x; }}; });
  auto raw_port = w.system().middleman().publish(raw, 0, "127.0.0.1");
  if (!raw_port)
    return 1;
  auto text = std::to_string(*raw_port) + "\n";
  if (::write(fd, text.data(), text.size()) < 0)
    return 1;
  ::close(fd);
  while (true)
    std::this_thread::sleep_for(std::chrono::seconds{1});
}

/// Starts `self --worker PORT AGENTS FD`; returns its pid and the raw actor's port.
std::pair<pid_t, uint16_t> start_worker(const char* self, uint16_t port, int64_t agents) {
  int fds[2];
  if (::pipe(fds) != 0)
    std::exit(1);
  auto pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    auto port_text = std::to_string(port);
    auto agents_text = std::to_string(agents);
    auto fd_text = std::to_string(fds[1]);
    ::execl(self, self, "--worker", port_text.c_str(), agents_text.c_str(), fd_text.c_str(),
            static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  ::close(fds[1]);
  std::string text;
  char c;
  while (::read(fds[0], &c, 1) == 1 && c != '\n')
    text += c;
  ::close(fds[0]);
  if (text.empty()) {
    std::cerr << "bench_remote: the worker did not start\n";
    std::exit(1);
  }
  return {pid, static_cast<uint16_t>(std::stoi(text))};
}

/// Sends request number `n` to `target` on behalf of `self` and calls `answered` on its reply.
using request_sender = std::function<void(caf::event_based_actor* self, const caf::actor& target,
                                          int64_t n, std::function<void()> answered)>;

/// Exits on a failed request: the benchmark measures nothing then.
void fail(const caf::error& e) {
  std::cerr << "bench_remote: a request failed: " << to_string(e) << '\n';
  std::exit(1);
}

/// Requests per second of a closed loop keeping `window` requests in flight until `total`
/// answers came back.
double rate(caf::actor_system& sys, caf::actor target, int64_t total, int64_t window,
            request_sender send) {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  auto start = std::chrono::steady_clock::now();
  sys.spawn([=](caf::event_based_actor* self) {
    auto sent = std::make_shared<int64_t>(0);
    auto received = std::make_shared<int64_t>(0);
    auto send_one = std::make_shared<std::function<void()>>();
    *send_one = [=] {
      send(self, target, (*sent)++, [=] {
        if (++*received == total)
          done->set_value();
        else if (*sent < total)
          (*send_one)();
      });
    };
    for (int64_t i = 0; i < std::min(window, total); ++i)
      (*send_one)();
  });
  finished.wait();
  return static_cast<double>(total) /
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Polls `done` every millisecond for up to 30 s; the seconds it took, or -1.
template <class F>
double time_until(F done) {
  auto start = std::chrono::steady_clock::now();
  while (!done()) {
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds{30})
      return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string{argv[1]} == "--worker")
    return run_worker(static_cast<uint16_t>(std::stoi(argv[2])), std::stoi(argv[3]),
                      std::stoi(argv[4]));
  options opt;
  bench_flags flags;
  flags.count("--tasks", opt.tasks)
      .count("--window", opt.window)
      .count("--agents", opt.agents)
      .count("--rounds", opt.rounds)
      .flag("--json", opt.json);
  if (!flags.parse(argc, argv)) {
    std::cerr << usage;
    return 2;
  }
  auto config = fleet_config();
  config.node.publish = true;
  config.fallback_policy = "default";
  config.dispatcher.intake_capacity = opt.window * 2;
  config.dispatcher.completed_capacity = opt.tasks * opt.rounds + 1;
  config.pools["remote"].concurrency = static_cast<int32_t>(opt.window);
  herd::runtime rt{config};
  auto [pid, raw_port] = start_worker(argv[0], rt.node_port(), opt.agents);
  auto raw = rt.system().middleman().remote_actor("127.0.0.1", raw_port); // main thread
  if (!raw) {
    std::cerr << "bench_remote: no raw echo actor: " << rt.system().render(raw.error()) << '\n';
    return 1;
  }
  auto dispatcher = caf::actor_cast<caf::actor>(rt.dispatcher());
  std::vector<double> herd_rates, raw_rates, ratios;
  for (int64_t round = 0; round < opt.rounds; ++round) {
    auto prefix = "r" + std::to_string(round) + "-";
    auto h = rate(rt.system(), dispatcher, opt.tasks, opt.window,
                  [prefix](caf::event_based_actor* self, const caf::actor& target, int64_t n,
                           std::function<void()> answered) {
                    auto t = herd::task::make(prefix + std::to_string(n), "echo", n, "remote");
                    self->request(target, std::chrono::seconds{60}, herd::submit_atom::value, t)
                        .then([answered](herd::outcome&) { answered(); },
                              [](caf::error& e) { fail(e); });
                  });
    auto r = rate(rt.system(), *raw, opt.tasks, opt.window,
                  [](caf::event_based_actor* self, const caf::actor& target, int64_t n,
                     std::function<void()> answered) {
                    self->request(target, std::chrono::seconds{60}, n)
                        .then([answered](int64_t) { answered(); }, [](caf::error& e) { fail(e); });
                  });
    herd_rates.push_back(h);
    raw_rates.push_back(r);
    ratios.push_back(h / r);
  }
  // A second worker holds leases (tasks of 60 s) when it is killed: the time until the
  // coordinator re-queued them.
  auto [doomed, doomed_raw] = start_worker(argv[0], rt.node_port(), 1);
  (void)doomed_raw;
  auto before = rt.stats().requeued;
  std::vector<std::future<caf::expected<herd::outcome>>> slow;
  for (int i = 0; i < 4 * (static_cast<int>(opt.agents) + 1); ++i)
    slow.push_back(rt.submit(
        herd::task::make("slow-" + std::to_string(i), "echo", {{"delay_ms", 60000}}, "remote")));
  time_until([&] { return rt.stats().leased >= slow.size(); });
  ::kill(doomed, SIGKILL);
  auto requeue_s = time_until([&] { return rt.stats().requeued > before; });
  ::waitpid(doomed, nullptr, 0);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  rt.shutdown(herd::duration{0});
  nlohmann::json out{{"benchmark", "bench_remote"},
                     {"tasks", opt.tasks},
                     {"window", opt.window},
                     {"agents", opt.agents},
                     {"rounds", opt.rounds},
                     {"ratio_target", 0.35},
                     {"connection_timeout_ms", herd::to_ms(config.node.connection_timeout)},
                     {"death_to_requeue_s", rounded(requeue_s, 4)}};
  add_summary(out, "herd_tasks_per_s", summarize(herd_rates), 0);
  add_summary(out, "raw_requests_per_s", summarize(raw_rates), 0);
  add_summary(out, "ratio", summarize(ratios), 3);
  if (opt.json) {
    std::cout << out.dump(2) << '\n';
  } else {
    std::cout << "remote tasks/s " << out["herd_tasks_per_s"] << ", raw CAF requests/s "
              << out["raw_requests_per_s"] << ", ratio " << out["ratio"] << " (min "
              << out["ratio_min"] << ", max " << out["ratio_max"] << "), death to re-queue "
              << requeue_s << " s\n";
  }
  return 0;
}
