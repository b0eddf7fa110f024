// bench_journal: tasks per second through submit -> dispatcher -> agent -> outcome with the task
// journal at durability "sync" (every outcome delivered once its records are synced; group
// commit), next to the same pipeline without a journal, in the same run and in interleaved
// rounds; and the time a runtime takes to start on a journal holding 100,000 unfinished tasks
// (recover_s: open, read, re-enter every task into the dispatcher). The window is spread over
// driver actors of at most 128 submits in flight each (see `max_in_flight_per_driver`).
//
// usage: bench_journal [--tasks N] [--window W] [--agents A] [--rounds R] [--recover N]
//                      [--dir DIR] [--json]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench_forks.hpp"
#include "bench_stats.hpp"
#include "herd/dispatch/protocol.hpp"
#include <herd/herd.hpp>

namespace {

struct options {
  int64_t tasks = 50000;
  int64_t window = 4096; // in flight: what one group commit can carry
  int64_t agents = 8;
  int rounds = 5;
  int64_t recover = 100000;
  std::string dir;
  bool json = false;
};

/// Answers every task at once.
class trivial_agent : public herd::agent {
public:
  using herd::agent::agent;

protected:
  herd::outcome handle(const herd::task&) override { return herd::outcome::success(1); }
};

/// In flight per driver actor at most: CAF 0.17 keeps an actor's pending `request(...).then`
/// handlers in an unsorted vector (linear search per response), so one driver holding 4096
/// requests spends more on its own bookkeeping than the pipeline does on a task.
constexpr int64_t max_in_flight_per_driver = 128;

/// Counts drivers down; the last one to finish fulfils the promise.
struct finish_line {
  std::atomic<int64_t> running{0};
  std::promise<void> done;
  void finished() {
    if (--running == 0)
      done.set_value();
  }
};

/// Keeps `window` submits in flight until `total` outcomes came back.
void closed_loop(caf::event_based_actor* self, caf::actor target, int64_t total, int64_t window,
                 std::string prefix, std::shared_ptr<finish_line> done) {
  auto sent = std::make_shared<int64_t>(0);
  auto received = std::make_shared<int64_t>(0);
  auto send_one = std::make_shared<std::function<void()>>();
  *send_one = [=] {
    auto n = (*sent)++;
    self->request(target, caf::infinite, herd::submit_atom::value,
                  herd::task::make(prefix + std::to_string(n), "bench", nullptr, "bench"))
        .then(
            [=](herd::outcome&) {
              if (++*received == total)
                done->finished();
              else if (*sent < total)
                (*send_one)();
            },
            [=](caf::error& e) {
              std::cerr << "bench_journal: submit failed: " << to_string(e) << '\n';
              std::exit(1);
            });
  };
  for (int64_t i = 0; i < std::min(window, total); ++i)
    (*send_one)();
}

/// `opt.tasks` submits, `opt.window` in flight, spread over drivers of at most
/// `max_in_flight_per_driver` each; tasks per second.
double run_pipeline(herd::runtime& rt, const options& opt, const std::string& prefix) {
  auto drivers =
      std::max<int64_t>(1, std::min(opt.tasks, (opt.window + max_in_flight_per_driver - 1) /
                                                   max_in_flight_per_driver));
  auto done = std::make_shared<finish_line>();
  done->running = drivers;
  auto finished = done->done.get_future();
  auto start = std::chrono::steady_clock::now();
  for (int64_t d = 0; d < drivers; ++d) {
    // Driver d takes an even share of the tasks and of the window.
    auto tasks = opt.tasks / drivers + (d < opt.tasks % drivers ? 1 : 0);
    auto window = std::max<int64_t>(1, opt.window / drivers + (d < opt.window % drivers ? 1 : 0));
    auto name = prefix + std::to_string(d) + "-";
    rt.system().spawn([&rt, done, name, tasks, window](caf::event_based_actor* self) {
      closed_loop(self, caf::actor_cast<caf::actor>(rt.dispatcher()), tasks, window, name, done);
    });
  }
  finished.wait();
  return static_cast<double>(opt.tasks) / seconds_since(start);
}

herd::runtime_config pipeline_config(const options& opt) {
  herd::runtime_config config;
  config.threads = 2;
  config.log_level = "warn";
  config.dispatcher.intake_capacity = opt.window * 2;
  config.dispatcher.completed_capacity = opt.tasks * opt.rounds + 1;
  config.pools["bench"].concurrency = static_cast<int32_t>(opt.window);
  config.policies["bench"] = herd::failure_policy::preset("default");
  return config;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

nlohmann::json spread(const std::vector<double>& xs) {
  auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
  return {{"min", std::round(*lo)}, {"max", std::round(*hi)}};
}

/// Seconds a runtime takes from its start to a dispatcher that re-entered `n` unfinished tasks.
double time_recovery(const std::string& file, int64_t n) {
  {
    herd::journal_config config;
    herd::task_journal journal{file, config};
    std::vector<herd::journal_record> batch;
    for (int64_t i = 0; i < n; ++i) {
      auto t = herd::task::make("u-" + std::to_string(i), "bench", {{"n", i}}, "idle");
      batch.push_back(herd::journal_record::accepted_task(std::move(t), herd::duration{0},
                                                          herd::wall_now_ms()));
      if (batch.size() == 10000) {
        journal.write(batch, herd::wall_now_ms());
        batch.clear();
      }
    }
    journal.write(batch, herd::wall_now_ms());
  }
  herd::runtime_config config;
  config.threads = 2;
  config.log_level = "warn";
  config.policies["bench"] = herd::failure_policy::preset("default");
  config.journal.durability = herd::journal_config::durability_level::sync;
  config.journal.file = file;
  auto start = std::chrono::steady_clock::now();
  herd::runtime rt{config};
  auto stats = rt.stats(); // answered after the dispatcher recovered
  auto seconds = seconds_since(start);
  if (static_cast<int64_t>(stats.reentered) != n || static_cast<int64_t>(stats.queued) != n) {
    std::cerr << "bench_journal: recovered " << stats.reentered << " of " << n << " tasks\n";
    std::exit(1);
  }
  rt.shutdown(herd::duration{0});
  return seconds;
}

} // namespace

int main(int argc, char** argv) {
  if (auto code = run_forks(argc, argv))
    return *code;
  options opt;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto text = [&] {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << arg << '\n';
        std::exit(2);
      }
      return std::string{argv[++i]};
    };
    if (arg == "--tasks")
      opt.tasks = std::stoll(text());
    else if (arg == "--window")
      opt.window = std::stoll(text());
    else if (arg == "--agents")
      opt.agents = std::stoll(text());
    else if (arg == "--rounds")
      opt.rounds = std::stoi(text());
    else if (arg == "--recover")
      opt.recover = std::stoll(text());
    else if (arg == "--dir")
      opt.dir = text();
    else if (arg == "--json")
      opt.json = true;
    else {
      std::cerr << "usage: bench_journal [--tasks N] [--window W] [--agents A] [--rounds R] "
                   "[--recover N] [--dir DIR] [--json]\n";
      return arg == "--help" ? 0 : 2;
    }
  }
  // The journal lives on a real disk (not tmpfs), where a sync costs what it costs.
  auto base = opt.dir.empty() ? std::filesystem::current_path() : std::filesystem::path{opt.dir};
  auto dir = base / ("bench_journal-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto pipeline_file = (dir / "pipeline.db").string();

  auto plain_config = pipeline_config(opt);
  auto journal_config = pipeline_config(opt);
  journal_config.journal.durability = herd::journal_config::durability_level::sync;
  journal_config.journal.file = pipeline_file;
  herd::runtime plain{plain_config};
  herd::runtime journaled{journal_config};
  plain.spawn_pool<trivial_agent>("bench", static_cast<size_t>(opt.agents));
  journaled.spawn_pool<trivial_agent>("bench", static_cast<size_t>(opt.agents));
  std::vector<double> without;
  std::vector<double> with;
  std::vector<double> ratios;
  for (int round = 0; round < opt.rounds; ++round) { // interleaved, so drift hits both alike
    auto prefix = "r" + std::to_string(round) + "-";
    without.push_back(run_pipeline(plain, opt, prefix));
    with.push_back(run_pipeline(journaled, opt, prefix));
    ratios.push_back(with.back() / without.back());
  }
  auto commits = journaled.metrics().total("herd_journal_commits_total");
  // Two records per task: accepted and settled (an outcome's records share its commit).
  auto records = 2.0 * static_cast<double>(opt.tasks * opt.rounds);
  for (auto* rt : {&plain, &journaled}) {
    auto report = rt->shutdown(herd::from_ms(10000));
    if (!report.stats.balanced() ||
        report.stats.completed != static_cast<uint64_t>(opt.tasks * opt.rounds)) {
      std::cerr << "bench_journal: accounting mismatch: " << report.stats.to_json() << '\n';
      return 1;
    }
  }
  auto recover_s = opt.recover > 0 ? time_recovery((dir / "recover.db").string(), opt.recover) : 0;
  std::filesystem::remove_all(dir);

  auto plain_rate = median(without);
  auto journal_rate = median(with);
  auto ratio = median(ratios);
  nlohmann::json result{
      {"benchmark", "bench_journal"},
      {"tasks", opt.tasks},
      {"window", opt.window},
      {"agents", opt.agents},
      {"rounds", opt.rounds},
      {"threads", 2},
      {"plain_tasks_per_s", std::round(plain_rate)},
      {"plain_spread", spread(without)},
      {"journal_tasks_per_s", std::round(journal_rate)},
      {"journal_spread", spread(with)},
      {"ratio", std::round(ratio * 1000) / 1000},
      {"ratio_min", std::round(*std::min_element(ratios.begin(), ratios.end()) * 1000) / 1000},
      {"ratio_max", std::round(*std::max_element(ratios.begin(), ratios.end()) * 1000) / 1000},
      {"journal_commits", commits},
      {"records_per_commit", commits > 0 ? std::round(records / commits) : 0},
      {"recover_tasks", opt.recover},
      {"recover_s", std::round(recover_s * 1000) / 1000}};
  if (opt.json)
    std::cout << result.dump() << '\n';
  else
    std::cout << "without journal " << plain_rate << " tasks/s, with journal (sync) "
              << journal_rate << " tasks/s, ratio " << ratio << "; " << commits
              << " commits; recovering " << opt.recover << " tasks took " << recover_s << " s\n";
  return 0;
}
