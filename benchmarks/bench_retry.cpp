// bench_retry: schedule + release throughput of the retry scheduler's pure core with 10^4,
// 10^5 and 10^6 retries pending, and its bookkeeping memory per pending retry.
//
// What is measured: the path one retry takes through the scheduler without CAF messaging.
// One operation = pop the earliest due retry from the timer queue (release), ask its
// service's retry budget and adaptive pacer, then decide the next failure of a task with
// retry_planner (read_only policy: full jitter) and push it back at its due time (schedule).
// The queue stays at `pending` entries. bytes_per_pending counts the timer-queue heap plus a
// slot per retry (task index, service); the task itself (strings, history) is not counted.
// actor_bytes_per_pending is what the retry_scheduler actor holds per pending retry: a timer
// entry plus a node of its map from key to the whole task, measured on the malloc heap with
// small tasks (short id and kind, null payload, one history entry).
// Compare the rows with each other (ratio_to_first), not with another machine's wall time: in
// each round the sizes' queues are all built first and then take turns in 20 slices of their
// operations (10^4, 10^5, 10^6, 10^4, ...), so that a change of the machine within the round
// (a neighbour taking memory bandwidth) hits every size; each figure is the median of its
// rounds with min and max, and ratio_to_first the median of the per-round ratios
// (cpu_ratio_to_first: of operations per CPU second).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <malloc.h>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "bench_forks.hpp"
#include "bench_stats.hpp"
#include "herd/core/task.hpp"
#include "herd/retry/adaptive_pacer.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/retry/retry_budget.hpp"
#include "herd/retry/retry_planner.hpp"
#include "herd/retry/timer_queue.hpp"

namespace {

constexpr const char* usage =
    "usage: bench_retry [--json] [--ops N] [--rounds R] [PENDING...]\n"
    "  schedule+release operations per second of the retry scheduler's core (timer queue,\n"
    "  budget, pacer, planner) with PENDING retries waiting (default: 10000 100000 1000000);\n"
    "  N operations per size (default: 1000000), R interleaved rounds (default: 5).\n";

struct slot {
  uint32_t task;    // index into the task templates
  uint32_t service; // index of the service lane
};

struct row {
  size_t pending;
  double ops_per_s;
  double bytes_per_pending;
  double actor_bytes_per_pending;
  double ns_per_op;
  double ops_per_cpu_s;
};

size_t heap_in_use() {
  return mallinfo2().uordblks;
}

/// Heap bytes per retry of `pending` copies of `tasks` in the actor's layout: a timer queue
/// entry and an unordered_map node holding the task and its lane index.
double actor_bytes(size_t pending, const std::vector<herd::task>& tasks) {
  auto before = heap_in_use();
  {
    herd::timer_queue queue;
    queue.reserve(pending);
    std::unordered_map<uint64_t, std::pair<herd::task, uint32_t>> entries;
    entries.reserve(pending);
    for (size_t key = 0; key < pending; ++key) {
      queue.push(tasks.front().created, key);
      entries.emplace(key, std::make_pair(tasks[key % tasks.size()], uint32_t{0}));
    }
    auto after = heap_in_use();
    return static_cast<double>(after - before) / static_cast<double>(pending);
  }
}

/// The retry core at one size: `pending` retries waiting in its timer queue, released through
/// lanes that never throttle (so every operation takes the full release path), and the time
/// its operations took so far.
struct sized_core {
  size_t pending = 0;
  herd::timer_queue queue;
  std::vector<slot> slots;
  std::vector<herd::retry_budget> budgets;
  std::vector<herd::adaptive_pacer> pacers;
  herd::retry_planner planner{herd::retry_planner::settings{}, 42};
  size_t ops = 0;
  size_t released = 0;
  double seconds = 0;
  double cpu = 0;
};

constexpr uint32_t services = 16;
constexpr uint32_t templates = 1024;

std::vector<herd::task> task_templates(herd::time_point start) {
  std::vector<herd::task> tasks;
  for (uint32_t i = 0; i < templates; ++i) {
    auto t = herd::task::make("task-" + std::to_string(i), "read_only");
    t.service = "svc-" + std::to_string(i % services);
    t.created = start;
    t.history.push_back(herd::attempt_record{
        1, start, "agent", herd::failure::transient("reset").from(t.service, 503)});
    tasks.push_back(std::move(t));
  }
  return tasks;
}

void fill(sized_core& core, size_t pending, const herd::failure_policy& policy,
          const std::vector<herd::task>& tasks, herd::time_point start) {
  herd::retry_budget::settings budget_settings;
  budget_settings.token_ratio = 1; // each failure is refunded by a success
  herd::adaptive_pacer::settings pacer_settings;
  pacer_settings.initial_rate = pacer_settings.max_rate = 1e12;
  pacer_settings.burst = 1e12;
  core.pending = pending;
  core.budgets.assign(services, herd::retry_budget{budget_settings, start});
  core.pacers.assign(services, herd::adaptive_pacer{pacer_settings, start});
  core.queue.reserve(pending);
  core.slots.resize(pending);
  for (size_t key = 0; key < pending; ++key) {
    auto index = static_cast<uint32_t>(key % templates);
    core.slots[key] = slot{index, index % services};
    core.queue.push(core.planner.decide(policy, tasks[index], start).due, key);
  }
}

/// `ops` operations on `core`, timed into its totals.
void step(sized_core& core, size_t ops, const herd::failure_policy& policy,
          const std::vector<herd::task>& tasks) {
  auto begin = std::chrono::steady_clock::now();
  auto cpu_begin = cpu_seconds();
  for (size_t i = 0; i < ops; ++i) {
    auto now = core.queue.earliest();
    auto due = core.queue.pop_due(now);
    auto& s = core.slots[due->key];
    if (core.budgets[s.service].allows(now) && core.pacers[s.service].try_acquire(now)) {
      core.budgets[s.service].spend(now);
      ++core.released;
    }
    // The released retry fails again: schedule it anew in the same slot.
    s.task = (s.task + 1) % templates;
    s.service = s.task % services;
    core.budgets[s.service].on_failure();
    core.budgets[s.service].on_success();
    auto verdict = core.planner.decide(policy, tasks[s.task], now);
    core.queue.push(verdict.due, due->key);
  }
  core.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  core.cpu += cpu_seconds() - cpu_begin;
  core.ops += ops;
}

/// One round: every size gets `ops` operations, in slices that take turns (10^4, 10^5, 10^6,
/// 10^4, ...), so that what the machine does meanwhile hits every size alike.
std::vector<row> run(const std::vector<size_t>& sizes, size_t ops) {
  constexpr size_t slices = 20;
  auto policy = herd::failure_policy::preset("read_only");
  auto start = herd::from_epoch_ms(3'600'000);
  auto tasks = task_templates(start);
  std::vector<sized_core> cores(sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i)
    fill(cores[i], sizes[i], policy, tasks, start);
  for (size_t slice = 0; slice < slices; ++slice)
    for (auto& core : cores)
      step(core, ops / slices + (slice < ops % slices ? 1 : 0), policy, tasks);
  std::vector<row> rows;
  for (auto& core : cores) {
    if (core.released != core.ops)
      std::fprintf(stderr, "warning: %zu of %zu operations were throttled\n",
                   core.ops - core.released, core.ops);
    auto bytes = core.queue.memory_bytes() + core.slots.capacity() * sizeof(slot);
    rows.push_back(row{core.pending, static_cast<double>(core.ops) / core.seconds,
                       static_cast<double>(bytes) / static_cast<double>(core.pending),
                       actor_bytes(core.pending, tasks), core.seconds * 1e9 / core.ops,
                       static_cast<double>(core.ops) / core.cpu});
  }
  return rows;
}

} // namespace

int main(int argc, char** argv) {
  if (auto code = run_forks(argc, argv))
    return *code;
  bool json = false;
  size_t ops = 1'000'000;
  int rounds = 5;
  std::vector<size_t> sizes;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--ops") == 0 && i + 1 < argc) {
      ops = std::strtoull(argv[++i], nullptr, 10);
    } else if (argv[i][0] != '-' && std::strtoull(argv[i], nullptr, 10) > 0) {
      sizes.push_back(std::strtoull(argv[i], nullptr, 10));
    } else {
      std::fputs(usage, stderr);
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  if (sizes.empty())
    sizes = {10'000, 100'000, 1'000'000};
  if (ops == 0) {
    std::fputs(usage, stderr);
    return 2;
  }
  // rows[round][size]
  std::vector<std::vector<row>> rounds_rows(static_cast<size_t>(rounds));
  for (auto& rows : rounds_rows)
    rows = run(sizes, ops);
  auto figure = [&](size_t size, auto field) {
    std::vector<double> xs;
    for (auto& rows : rounds_rows)
      xs.push_back(field(rows[size], rows.front()));
    return summarize(xs);
  };
  auto results = nlohmann::json::array();
  for (size_t i = 0; i < sizes.size(); ++i) {
    nlohmann::json entry{{"pending", sizes[i]}, {"rounds", rounds}};
    add_summary(entry, "ops_per_s", figure(i, [](const row& r, const row&) { return r.ops_per_s; }),
                0);
    add_summary(entry, "bytes_per_pending",
                figure(i, [](const row& r, const row&) { return r.bytes_per_pending; }), 1);
    add_summary(entry, "actor_bytes_per_pending",
                figure(i, [](const row& r, const row&) { return r.actor_bytes_per_pending; }), 1);
    add_summary(entry, "ns_per_op", figure(i, [](const row& r, const row&) { return r.ns_per_op; }),
                1);
    add_summary(
        entry, "ratio_to_first",
        figure(i, [](const row& r, const row& first) { return r.ops_per_s / first.ops_per_s; }), 3);
    add_summary(entry, "cpu_ratio_to_first",
                figure(i, [](const row& r,
                             const row& first) { return r.ops_per_cpu_s / first.ops_per_cpu_s; }),
                3);
    results.push_back(entry);
  }
  if (json) {
    nlohmann::json out{{"benchmark", "bench_retry"}, {"ops", ops}, {"results", results}};
    std::puts(out.dump().c_str());
    return 0;
  }
  std::printf("%10s %14s %18s %24s %10s %8s %15s\n", "pending", "ops_per_s", "bytes_per_pending",
              "actor_bytes_per_pending", "ns_per_op", "ratio", "ratio min-max");
  for (auto& r : results)
    std::printf("%10zu %14.0f %18.1f %24.1f %10.1f %8.3f %7.3f-%.3f\n", r["pending"].get<size_t>(),
                r["ops_per_s"].get<double>(), r["bytes_per_pending"].get<double>(),
                r["actor_bytes_per_pending"].get<double>(), r["ns_per_op"].get<double>(),
                r["ratio_to_first"].get<double>(), r["ratio_to_first_min"].get<double>(),
                r["ratio_to_first_max"].get<double>());
  return 0;
}
