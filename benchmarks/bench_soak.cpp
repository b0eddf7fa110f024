// bench_soak: the chaos workload of `herd demo` for N minutes in one process, to show that herd
// loses nothing and does not grow. 32 demo agents call two in-process mock LLMs over HTTP (the
// primary with an outage every 20 s, 429s beyond its capacity, 5% 500s and over-long prompts;
// a lighter fallback tier); every 1000th attempt crashes its agent and every 5000th hangs it
// (1.5 s); every 10 s a replay of the pending dead letters is requested through the database,
// as `herd dlq replay` does. Tasks arrive at --rate per second, at most --in-flight at a time.
//
// Reports the tasks submitted and how they ended, losses (submitted tasks without exactly one
// final outcome, plus the dispatcher's imbalance; must be 0), the resident set size after the
// warm-up (until the dispatcher's memory of completed ids is full and the heap in use grew by less
// than 1% in a minute: at least a fifth of the run and 10 s, at most half of it) and at the end,
// and the open file descriptors. RSS is sampled once a second; `rss_warm_mb` is the median of the
// minute after the warm-up and `rss_end_mb` that of the run's last minute (half the time after
// the warm-up each, when that is shorter): the memory watchdog trims malloc once a minute, so a
// single sample lands anywhere on that sawtooth. The single samples at the end of the warm-up and
// after the drain are reported beside them (`rss_growth_samples_pct`). Exits 1 when a task was
// lost; when more sockets were open at some time than the HTTP connection pools allow (both ends of
// at most max_connections_per_host per mock, plus 8), when the other descriptors grew after the
// warm-up by more than --fd-slack (8), or when a descriptor was left open once the runtime and the
// mocks stopped; or when RSS grew by more than --max-rss-growth percent (when given).
//
// `rss_anon_by_minute_mb` and `rss_file_by_minute_mb` split RSS into anonymous memory (heap,
// stacks) and file-backed pages (code, mapped files such as SQLite's WAL index).
// `heap_by_minute_mb` is the heap in use (glibc's mallinfo2) next to `rss_by_minute_mb`: a heap
// that stays flat while RSS grows is fragmentation, not a table that grows; `free_by_minute_mb`
// is what malloc holds freed and not given back (fordblks), `released_mb` what the memory
// watchdog gave back to the system over the run (docs/pools.md). `sqlite_by_minute_mb`
// is SQLite's share of that heap (its page caches grow with the dead-letter file up to each
// connection's cache_size, then stay).
//
// usage: bench_soak [--minutes N] [--rate TASKS_PER_S] [--in-flight N] [--agents N]
//                   [--completed-capacity N] [--crash-every ATTEMPTS] [--hang-every ATTEMPTS]
//                   [--fd-slack N] [--max-rss-growth PERCENT] [--json]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <malloc.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "bench_flags.hpp"
#include "bench_stats.hpp"
#include "demo/demo_agent.hpp"
#include "demo_workload.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_queue_config.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/mock_llm/mock_llm_server.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/supervision/proc_memory_probe.hpp"

using namespace herd;
using namespace herd::cli;

namespace {

struct options {
  int64_t minutes = 1;
  int64_t rate = 200;
  int64_t in_flight = 2000;
  int64_t agents = 32;
  int64_t fd_slack = 8; // descriptors other than sockets
  int64_t max_rss_growth = 0;
  int64_t completed_capacity = 0; // 0: the dispatcher's default
  /// Every this many attempts, one crashes its agent; every `hang_every`, one hangs it.
  int64_t crash_every = 1000;
  int64_t hang_every = 5000;
  bool json = false;
};

/// The primary mock's outages: 400 ms every 20 s.
constexpr int64_t outage_every_ms = 20000;
constexpr int64_t outage_ms = 400;
/// The heap has settled once it grew by less than this share in a minute.
constexpr double settled_heap_growth = 0.01;
/// A replay of the pending dead letters is requested this often.
constexpr auto replay_every = std::chrono::seconds(10);

/// Resident set size of this process in MB, as the memory watchdog reads it.
double rss_mb() {
  return static_cast<double>(proc_memory_probe{}.resident_bytes()) / (1024.0 * 1024.0);
}

/// Resident anonymous (heap, stacks) and file-backed (code, mapped files) memory in MB, from
/// /proc/self/status.
struct rss_parts {
  double anon_mb = 0;
  double file_mb = 0;
};

rss_parts read_rss_parts() {
  std::ifstream status{"/proc/self/status"};
  rss_parts parts;
  std::string line;
  while (std::getline(status, line)) {
    auto kb = [&] { return std::stod(line.substr(line.find(':') + 1)) / 1024.0; };
    if (line.rfind("RssAnon:", 0) == 0)
      parts.anon_mb = kb();
    else if (line.rfind("RssFile:", 0) == 0)
      parts.file_mb = kb();
  }
  return parts;
}

/// Heap in use by this process in MB (allocated and not yet freed, glibc's mallinfo2).
double heap_in_use_mb() {
  auto info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

/// Memory malloc holds freed and has not given back to the system, in MB (glibc's mallinfo2).
double heap_free_mb() {
  return static_cast<double>(mallinfo2().fordblks) / (1024.0 * 1024.0);
}

/// Open descriptors of this process: sockets, and the rest (files, pipes, eventfds, ...).
struct descriptors {
  int64_t sockets = 0;
  int64_t others = 0;
  int64_t total() const { return sockets + others; }
};

/// One resident-set sample: seconds since the start of the run, MB.
struct rss_sample {
  double at_s = 0;
  double mb = 0;
};

/// The median RSS of the samples taken in [from_s, to_s); 0 when there are none.
double median_rss(const std::vector<rss_sample>& samples, double from_s, double to_s) {
  std::vector<double> in_window;
  for (auto& sample : samples)
    if (sample.at_s >= from_s && sample.at_s < to_s)
      in_window.push_back(sample.mb);
  return in_window.empty() ? 0.0 : summarize(std::move(in_window)).median;
}

descriptors open_fds() {
  descriptors result;
  for (auto& entry : std::filesystem::directory_iterator{"/proc/self/fd"}) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (!ec && target.native().rfind("socket:", 0) == 0)
      ++result.sockets;
    else
      ++result.others;
  }
  --result.others; // the directory iterator's own
  return result;
}

/// Final outcomes as they arrive, counted (not kept: a soak must not grow by what it measures).
struct outcome_counts {
  std::atomic<int64_t> received{0};
  std::atomic<int64_t> refused{0};
  std::atomic<int64_t> completed{0};
  std::atomic<int64_t> degraded{0};
  std::mutex mtx;
  std::map<std::string, int64_t> by_status;

  void add(const outcome& o) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      ++by_status[to_string(o.status)];
    }
    if (o.ok())
      ++completed;
    if (o.degraded)
      ++degraded;
    ++received;
  }
};

/// The primary mock's story over `minutes`: the demo's, with an outage every 20 s.
mock_llm_profile soak_profile(int64_t minutes) {
  auto profile = demo_profile(400, 0.05, 1);
  profile.outages.clear();
  for (int64_t start = 300; start < (minutes + 1) * 60000; start += outage_every_ms)
    profile.outages.push_back({start, outage_ms});
  profile.validate();
  return profile;
}

/// Crashes and hangs at fixed attempt counts over the whole run (read-only once agents run).
std::shared_ptr<demo_chaos> soak_chaos(const options& opt, int64_t max_attempts) {
  auto chaos = std::make_shared<demo_chaos>();
  for (int64_t n = opt.crash_every; n < max_attempts; n += opt.crash_every)
    chaos->crash_at.insert(n);
  for (int64_t n = opt.hang_every / 2; n < max_attempts; n += opt.hang_every)
    chaos->hang_at.insert(n);
  return chaos;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  bench_flags flags;
  flags.count("--minutes", opt.minutes)
      .count("--rate", opt.rate)
      .count("--in-flight", opt.in_flight)
      .count("--agents", opt.agents)
      .count("--fd-slack", opt.fd_slack)
      .count("--max-rss-growth", opt.max_rss_growth)
      .count("--completed-capacity", opt.completed_capacity)
      .count("--crash-every", opt.crash_every)
      .count("--hang-every", opt.hang_every)
      .flag("--json", opt.json);
  if (!flags.parse(argc, argv)) {
    std::cerr << "usage: bench_soak [--minutes N] [--rate TASKS_PER_S] [--in-flight N] "
                 "[--agents N] [--completed-capacity N] [--crash-every ATTEMPTS] "
                 "[--hang-every ATTEMPTS] [--fd-slack N] [--max-rss-growth PERCENT] [--json]\n";
    return 2;
  }
  using clock = std::chrono::steady_clock;
  // In seconds: a fifth or a half of a few minutes is not a whole number of minutes.
  auto run_for = std::chrono::seconds(60 * opt.minutes);
  // The warm-up lasts until the bounded tables are full (the dispatcher remembers the outcomes
  // of the last `completed_capacity` completed tasks; dead-lettered ones it does not keep, so
  // that is later than `completed_capacity` submits) and the heap in use grew by less than
  // `settled_heap_growth` in the last minute (the tables beside it fill a little later), at
  // least a fifth of the run (10 s or more), at most half.
  auto min_warm_up = std::max<clock::duration>(run_for / 5, std::chrono::seconds(10));
  auto max_warm_up = std::max<clock::duration>(run_for / 2, min_warm_up);
  clock::duration warm_up{0};

  auto dir = std::filesystem::temp_directory_path() / ("herd_soak_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto db = (dir / "dead_letters.db").string();

  auto config = demo_config();
  config.policies.emplace("demo", failure_policy::preset("default"));
  config.fallbacks.chains["demo"] = demo_chain();
  dead_letter_queue_config dead_letters;
  dead_letters.db = db;
  config.dead_letters = dead_letters;
  // A long run: the restart intensity is per 10 s, as in the demo, with room for the chaos.
  config.supervision.max_restarts = 20;
  if (opt.completed_capacity > 0)
    config.dispatcher.completed_capacity = opt.completed_capacity;

  auto profile = soak_profile(opt.minutes);
  auto max_attempts = opt.rate * 60 * opt.minutes * 8;
  auto chaos = soak_chaos(opt, max_attempts);
  auto counts = std::make_shared<outcome_counts>();
  int64_t submitted = 0;
  int64_t replays_requested = 0;
  int64_t replays_selected = 0;
  double rss_warm_sample = 0; // the single sample at the end of the warm-up
  double rss_max = 0;
  std::vector<rss_sample> rss_samples;                       // one a second
  nlohmann::json rss_by_minute = nlohmann::json::array();    // MB at the end of each minute
  nlohmann::json heap_by_minute = nlohmann::json::array();   // MB in use at the end of each minute
  nlohmann::json sqlite_by_minute = nlohmann::json::array(); // of which SQLite's
  nlohmann::json free_by_minute = nlohmann::json::array();   // MB freed, kept by malloc
  nlohmann::json anon_by_minute = nlohmann::json::array();   // resident anonymous MB
  nlohmann::json file_by_minute = nlohmann::json::array();   // resident file-backed MB
  // Descriptors. Sockets come and go with the calls in flight: the HTTP client keeps at most
  // `max_connections_per_host` per mock, and each mock holds the other ends, so at no time may
  // more be open than `socket_bound`. The others (the databases, the client's wakeup pipe, ...)
  // may not grow after the warm-up beyond `--fd-slack`. Every descriptor the runtime and the mocks
  // opened is closed once they stopped.
  int64_t socket_bound = 2 * 2 * config.http_client.max_connections_per_host + 8;
  auto before = open_fds();
  descriptors warm;  // the most open during the warm-up
  descriptors most;  // the most open at any time
  descriptors end;   // after the drain
  descriptors after; // once the runtime and the mocks stopped
  shutdown_report report;
  double rss_end_sample = 0; // the single sample after the drain
  double released_mb = 0;    // given back to the system by the memory watchdog
  nlohmann::json mock_stats;
  {
    herd::runtime rt{config};
    mock_llm_server mock{profile};
    mock_llm_server lite_mock{lite_profile(profile)};
    mock.start("127.0.0.1", 0);
    lite_mock.start("127.0.0.1", 0);
    std::map<std::string, caf::actor> breakers;
    for (auto [name, url, model] : {std::tuple{service_name, mock.url(), "mock-small"},
                                    std::tuple{lite_service_name, lite_mock.url(), lite_model}}) {
      http_service_config service;
      service.type = "openai";
      service.base_url = url;
      service.model = model;
      service.api_key_required = false;
      rt.add_http_service(name, service);
      breakers.emplace(name, *rt.breaker_for(name));
    }
    rt.spawn_pool<demo_agent>("agents", static_cast<size_t>(opt.agents), breakers, chaos);
    // The counts are a spawn argument: CAF 0.17 dereferences a null argument tuple for a
    // function actor spawned without arguments (UBSan reports it).
    auto collect = [](caf::event_based_actor* self,
                      std::shared_ptr<outcome_counts> counts) -> caf::behavior {
      self->set_error_handler([counts](caf::error&) {
        ++counts->refused;
        ++counts->received;
      });
      return {[counts](const outcome& o) { counts->add(o); }};
    };
    auto collector = rt.system().spawn(collect, counts);
    dead_letter_store operator_store{db, dead_letter_store::open_mode::existing};

    auto start = clock::now();
    auto next_replay = start + replay_every;
    bool warmed = false;
    for (auto now = start; now - start < run_for; now = clock::now()) {
      auto due = static_cast<int64_t>(std::chrono::duration<double>(now - start).count() *
                                      static_cast<double>(opt.rate));
      while (submitted < due && submitted - counts->received.load() < opt.in_flight) {
        auto over_long = submitted % over_long_every == over_long_every / 2;
        auto t = task::make("soak-" + std::to_string(submitted), "demo",
                            demo_payload(submitted, over_long), "agents");
        t.service = service_name;
        rt.submit(std::move(t), collector);
        ++submitted;
      }
      if (now >= next_replay) {
        // As `herd dlq replay --status pending` does: a request the dead-letter queue picks up.
        dead_letter_filter pending;
        pending.status = "pending";
        auto total = operator_store.count_replayable(pending);
        if (total > 0) {
          operator_store.add_replay_request(pending, 50, "requested", wall_now_ms(), total);
          ++replays_requested;
          replays_selected += total;
        }
        next_replay += replay_every;
      }
      auto rss = rss_mb();
      auto fds = open_fds();
      most.sockets = std::max(most.sockets, fds.sockets);
      most.others = std::max(most.others, fds.others);
      rss_max = std::max(rss_max, rss);
      auto at_s = std::chrono::duration<double>(now - start).count();
      if (rss_samples.empty() || at_s - rss_samples.back().at_s >= 1.0)
        rss_samples.push_back({at_s, rss});
      if (now - start >= std::chrono::minutes(rss_by_minute.size() + 1)) {
        rss_by_minute.push_back(rss);
        auto parts = read_rss_parts();
        anon_by_minute.push_back(parts.anon_mb);
        file_by_minute.push_back(parts.file_mb);
        heap_by_minute.push_back(heap_in_use_mb());
        free_by_minute.push_back(heap_free_mb());
        sqlite_by_minute.push_back(static_cast<double>(sqlite3_memory_used()) / (1024.0 * 1024.0));
      }
      if (!warmed)
        warm = most;
      auto tables_full = counts->completed.load() >= config.dispatcher.completed_capacity;
      auto minutes = heap_by_minute.size();
      auto heap_settled =
          minutes >= 2 && heap_by_minute[minutes - 1].get<double>() <
                              heap_by_minute[minutes - 2].get<double>() * (1 + settled_heap_growth);
      if (!warmed && now - start >= min_warm_up &&
          ((tables_full && heap_settled) || now - start >= max_warm_up)) {
        warmed = true;
        warm_up = now - start;
        rss_warm_sample = rss;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Every submitted task ends within the grace period.
    auto drain_until = clock::now() + std::chrono::seconds(60);
    while (counts->received.load() < submitted && clock::now() < drain_until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    rss_end_sample = rss_mb();
    end = open_fds();
    released_mb = rt.metrics().total("herd_memory_released_bytes_total") / (1024.0 * 1024.0);
    report = rt.shutdown(from_ms(30000));
    mock.stop();
    lite_mock.stop();
    mock_stats = mock.stats();
    caf::anon_send_exit(collector, caf::exit_reason::user_shutdown);
  }
  after = open_fds();
  std::filesystem::remove_all(dir);

  auto answered = counts->received.load();
  auto unbalanced = report.stats.balanced() ? 0 : 1;
  auto losses = (submitted - answered) + unbalanced;
  // Medians of a minute at each end, not single samples (see the header comment).
  auto run_s = std::chrono::duration<double>(run_for).count();
  auto warm_up_s = std::chrono::duration<double>(warm_up).count();
  auto compare_s = std::min(60.0, (run_s - warm_up_s) / 2);
  auto rss_warm = median_rss(rss_samples, warm_up_s, warm_up_s + compare_s);
  auto rss_end = median_rss(rss_samples, run_s - compare_s, run_s + 1);
  auto growth = [](double from, double to) { return from > 0 ? 100.0 * (to - from) / from : 0.0; };
  auto growth_pct = growth(rss_warm, rss_end);
  bool fds_stable = most.sockets <= socket_bound && end.others <= warm.others + opt.fd_slack &&
                    after.total() <= before.total();
  bool rss_ok = opt.max_rss_growth == 0 || growth_pct < static_cast<double>(opt.max_rss_growth);
  nlohmann::json outcomes = nlohmann::json::object();
  for (auto& [status, n] : counts->by_status)
    outcomes[status] = n;
  nlohmann::json result = {
      {"benchmark", "soak"},
      {"minutes", opt.minutes},
      {"rate_per_s", opt.rate},
      {"agents", opt.agents},
      {"tasks", submitted},
      {"answered", answered},
      {"outcomes", outcomes},
      {"refused", counts->refused.load()},
      {"degraded", counts->degraded.load()},
      {"losses", losses},
      {"dispatcher_balanced", report.stats.balanced()},
      {"dispatcher",
       {{"accepted", report.stats.accepted},
        {"reentered", report.stats.reentered},
        {"completed", report.stats.completed},
        {"failed", report.stats.failed},
        {"dead_lettered", report.stats.dead_lettered},
        {"escalated", report.stats.escalated},
        {"handed_back", report.stats.handed_back},
        {"requeued", report.stats.requeued}}},
      {"chaos",
       {{"attempts", chaos->taken.load()},
        {"crashes", std::count_if(chaos->crash_at.begin(), chaos->crash_at.end(),
                                  [&](int64_t n) { return n <= chaos->taken.load(); })},
        {"hangs", std::count_if(chaos->hang_at.begin(), chaos->hang_at.end(),
                                [&](int64_t n) { return n <= chaos->taken.load(); })},
        {"outages",
         std::count_if(profile.outages.begin(), profile.outages.end(),
                       [&](const mock_llm_outage& o) { return o.start_ms < opt.minutes * 60000; })},
        {"replays_requested", replays_requested},
        {"replays_selected", replays_selected}}},
      {"mock_requests", mock_stats.value("requests", int64_t{0})},
      {"warm_up_s", std::chrono::duration<double>(warm_up).count()},
      {"rss_warm_mb", rss_warm},
      {"rss_end_mb", rss_end},
      {"rss_max_mb", rss_max},
      {"rss_growth_pct", growth_pct},
      {"rss_compared_s", compare_s},
      {"rss_warm_sample_mb", rss_warm_sample},
      {"rss_end_sample_mb", rss_end_sample},
      {"rss_growth_samples_pct", growth(rss_warm_sample, rss_end_sample)},
      {"rss_by_minute_mb", rss_by_minute},
      {"rss_anon_by_minute_mb", anon_by_minute},
      {"rss_file_by_minute_mb", file_by_minute},
      {"heap_by_minute_mb", heap_by_minute},
      {"sqlite_by_minute_mb", sqlite_by_minute},
      {"free_by_minute_mb", free_by_minute},
      {"released_mb", released_mb},
      {"completed_capacity", config.dispatcher.completed_capacity},
      {"fds_before", before.total()},
      {"fds_warm", warm.total()},
      {"fds_end", end.total()},
      {"fds_after", after.total()},
      {"sockets_max", most.sockets},
      {"socket_bound", socket_bound},
      {"other_fds_warm", warm.others},
      {"other_fds_end", end.others},
      {"fds_stable", fds_stable},
  };
  if (opt.json) {
    std::cout << result.dump(2) << std::endl;
  } else {
    std::cout << std::fixed << std::setprecision(1) << "soak " << opt.minutes
              << " min: " << submitted << " tasks, " << losses << " lost, RSS " << rss_warm
              << " -> " << rss_end << " MB (" << growth_pct << "%), sockets at most "
              << most.sockets << " (bound " << socket_bound << "), other descriptors "
              << warm.others << " -> " << end.others << ", " << before.total()
              << " before the run and " << after.total() << " after\n";
  }
  return losses == 0 && fds_stable && rss_ok ? 0 : 1;
}
