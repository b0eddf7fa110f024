// bench_dlq: durable dead letters per second through the dead-letter queue actor (group commit,
// synchronous=FULL by default) against one commit per letter, and a replay's achieved rate
// against the requested one.
//
// usage: bench_dlq [--letters N] [--unbatched N] [--replay N] [--rate PER_S]
//                  [--synchronous full|normal] [--dir DIR] [--json]
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "bench_stats.hpp"
#include <herd/core/atoms.hpp>
#include <herd/dead_letters/dead_letter_queue.hpp>
#include <herd/dead_letters/protocol.hpp>
#include <herd/dispatch/protocol.hpp>
#include <herd/herd.hpp>

using namespace herd;
using namespace std::chrono_literals;

namespace {

struct settings {
  int64_t letters = 100000;
  int64_t unbatched = 500;
  int64_t replay = 2000;
  double rate = 2000;
  std::string synchronous = "full";
  std::string dir = ".";
  bool json = false;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "bench_dlq: " << problem << "\n"
            << "usage: bench_dlq [--letters N] [--unbatched N] [--replay N] [--rate PER_S]\n"
            << "                 [--synchronous full|normal] [--dir DIR] [--json]\n";
  std::exit(2);
}

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usage(arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--letters")
        s.letters = std::stoll(value());
      else if (arg == "--unbatched")
        s.unbatched = std::stoll(value());
      else if (arg == "--replay")
        s.replay = std::stoll(value());
      else if (arg == "--rate")
        s.rate = std::stod(value());
      else if (arg == "--synchronous")
        s.synchronous = value();
      else if (arg == "--dir")
        s.dir = value();
      else if (arg == "--json")
        s.json = true;
      else
        usage("unknown argument " + arg);
    } catch (const std::logic_error&) {
      usage("bad value for " + arg);
    }
  }
  if (s.letters < 1 || s.unbatched < 1 || s.replay < 2 || !(s.rate > 0))
    usage("counts must be positive (--replay at least 2) and the rate > 0");
  return s;
}

task sample(int64_t i) {
  auto t = task::make("b-" + std::to_string(i), "read_only", {{"prompt", "summarise"}, {"n", i}},
                      "agents");
  t.service = "llm";
  t.history.push_back(
      {1, from_epoch_ms(1000), "agents-1", failure::transient("upstream reset").from("llm", 502)});
  return t;
}

/// What one run of durable writes measured.
struct write_result {
  /// Acknowledged (committed) letters per second of wall time.
  double per_s = 0;
  /// Transactions the letters took.
  int64_t commits = 0;
  /// CPU time of the whole process (all threads) per letter, in microseconds.
  double cpu_us_per_letter = 0;
};

/// Sends `n` letters at once to a fresh queue and waits for every acknowledgement.
write_result durable_writes(caf::actor_system& sys, const std::string& db, const settings& s,
                            int64_t n, int64_t max_batch) {
  dead_letter_queue_config config;
  config.synchronous = s.synchronous;
  config.max_batch = max_batch;
  config.poll_interval = duration{0};
  config.depth_alert = 0;
  auto store =
      std::make_unique<dead_letter_store>(db, dead_letter_store::open_mode::create,
                                          dead_letter_store::latest_schema_version, s.synchronous);
  auto metrics = std::make_shared<metrics_registry>();
  // Nothing is replayed here: the dispatcher is an actor that ignores everything.
  auto dispatcher = sys.spawn([]() -> caf::behavior { return {[](caf::ok_atom) {}}; });
  auto dlq = sys.spawn<dead_letter_queue>(config, std::move(store), dispatcher, metrics);
  caf::scoped_actor self{sys};
  std::vector<task> tasks; // made before the clock starts: that is the retry scheduler's work
  for (int64_t i = 0; i < n; ++i)
    tasks.push_back(sample(i));
  auto start = std::chrono::steady_clock::now();
  auto cpu_start = std::clock();
  if (max_batch == 1) {
    for (auto& t : tasks) // one letter at a time: nothing to batch
      self->request(dlq, caf::infinite, dead_letter_atom::value, std::move(t),
                    dead_letter_reason::exhausted)
          .receive([](caf::ok_atom) {}, [](caf::error&) { std::exit(1); });
  } else {
    for (auto& t : tasks)
      self->send(dlq, dead_letter_atom::value, std::move(t), dead_letter_reason::exhausted);
    for (int64_t i = 0; i < n; ++i)
      self->receive([](caf::ok_atom) {}, [](caf::error&) { std::exit(1); });
  }
  auto elapsed = seconds_since(start);
  auto cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  self->send_exit(dlq, caf::exit_reason::user_shutdown);
  self->send_exit(dispatcher, caf::exit_reason::user_shutdown);
  return {static_cast<double>(n) / elapsed,
          static_cast<int64_t>(metrics->counter("herd_dlq_commits_total", "").value()),
          cpu * 1e6 / static_cast<double>(n)};
}

/// The dispatcher stand-in: records when the first and the last replayed task arrived; the
/// queue's question how each replay ends (a submit of the id) is left unanswered.
struct replay_sink_state {
  int64_t received = 0;
  time_point first;
  time_point last;
};

caf::behavior replay_sink(caf::stateful_actor<replay_sink_state>* self, int64_t expected,
                          caf::actor done) {
  return {[=](resubmit_atom, const task&) {
            auto& st = self->state;
            auto now = self->clock().now();
            if (st.received++ == 0)
              st.first = now;
            st.last = now;
            if (st.received == expected)
              self->send(done, caf::ok_atom::value,
                         std::chrono::duration<double>(st.last - st.first).count());
          },
          [=](submit_atom, const task&) { return self->make_response_promise(); }};
}

/// Replays `s.replay` letters at `s.rate`; returns the achieved rate between the first and the
/// last arrival ((n - 1) intervals).
double replay_rate(caf::actor_system& sys, const std::string& db, const settings& s) {
  {
    dead_letter_store store{db, dead_letter_store::open_mode::create,
                            dead_letter_store::latest_schema_version, s.synchronous};
    std::vector<dead_letter> batch;
    for (int64_t i = 0; i < s.replay; ++i)
      batch.push_back(dead_letter::make(sample(i), dead_letter_reason::exhausted, i));
    store.add(batch);
  }
  caf::scoped_actor self{sys};
  auto sink = sys.spawn(replay_sink, s.replay, caf::actor{self});
  dead_letter_queue_config config;
  config.poll_interval = duration{0};
  config.depth_alert = 0;
  auto dlq =
      sys.spawn<dead_letter_queue>(config, std::make_unique<dead_letter_store>(db), sink, nullptr);
  self->send(dlq, dlq_replay_atom::value, dead_letter_filter{}, s.rate);
  double span = 0;
  self->receive([](replay_request&) {}, [](caf::error&) { std::exit(1); });
  self->receive([&](caf::ok_atom, double seconds) { span = seconds; });
  self->send_exit(dlq, caf::exit_reason::user_shutdown);
  self->send_exit(sink, caf::exit_reason::user_shutdown);
  return static_cast<double>(s.replay - 1) / span;
}

} // namespace

int main(int argc, char** argv) {
  auto s = parse(argc, argv);
  auto pattern = (std::filesystem::path{s.dir} / "bench_dlq-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    usage("cannot create a directory in " + s.dir);
  std::filesystem::path dir{pattern};
  nlohmann::json results = nlohmann::json::array();
  {
    herd::system_config cfg;
    caf::actor_system sys{cfg};
    auto grouped = durable_writes(sys, (dir / "grouped.db").string(), s, s.letters, 1024);
    auto single = durable_writes(sys, (dir / "single.db").string(), s, s.unbatched, 1);
    auto achieved = replay_rate(sys, (dir / "replay.db").string(), s);
    results.push_back({{"name", "durable_writes"},
                       {"synchronous", s.synchronous},
                       {"letters", s.letters},
                       {"commits", grouped.commits},
                       {"durable_writes_per_s", grouped.per_s},
                       {"cpu_us_per_letter", grouped.cpu_us_per_letter},
                       {"unbatched_letters", s.unbatched},
                       {"unbatched_commits", single.commits},
                       {"unbatched_writes_per_s", single.per_s},
                       {"group_commit_speedup", grouped.per_s / single.per_s}});
    results.push_back({{"name", "replay"},
                       {"letters", s.replay},
                       {"replay_requested_per_s", s.rate},
                       {"replay_achieved_per_s", achieved},
                       {"achieved_over_requested", achieved / s.rate}});
  }
  std::filesystem::remove_all(dir);
  // Other work on the machine slows the writes (they need CPU); say how busy it was.
  double load = 0;
  std::ifstream{"/proc/loadavg"} >> load;
  results.push_back({{"name", "machine"}, {"load_average_1m", load}});
  if (s.json) {
    std::cout << nlohmann::json{{"benchmark", "bench_dlq"}, {"results", results}}.dump() << '\n';
    return 0;
  }
  auto& w = results[0];
  auto& r = results[1];
  std::cout << "durable writes (synchronous=" << s.synchronous
            << "): " << w["durable_writes_per_s"].get<double>() << "/s with group commit ("
            << w["commits"] << " commits for " << s.letters << " letters), "
            << w["unbatched_writes_per_s"].get<double>()
            << "/s one commit per letter: " << w["group_commit_speedup"].get<double>() << "x\n"
            << "replay: requested " << s.rate << "/s, achieved "
            << r["replay_achieved_per_s"].get<double>() << "/s ("
            << r["achieved_over_requested"].get<double>() << ")\n";
  return 0;
}
