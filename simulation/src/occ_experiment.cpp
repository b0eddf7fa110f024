#include "herd/simulation/occ_experiment.hpp"

#include <chrono>
#include <cmath>
#include <optional>
#include <queue>
#include <random>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "herd/retry/backoff.hpp"
#include "herd/simulation/baseline_simulation.hpp"
#include "herd/simulation/occ_scheduler_harness.hpp"

namespace herd {

namespace {

constexpr double hop_mean_ms = 10;
constexpr double hop_sd_ms = 2;

enum class step : uint8_t { read_arrives, read_reply, write_arrives, write_reply };

struct event {
  double at;
  uint64_t seq;
  step kind;
  int32_t client;
  int64_t version;
  bool operator>(const event& other) const {
    return at != other.at ? at > other.at : seq > other.seq;
  }
};

double ms(duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

} // namespace

const std::vector<std::string>& occ_experiment::strategy_names() {
  static const std::vector<std::string> names{"none",         "exponential",         "full_jitter",
                                              "equal_jitter", "decorrelated_jitter", "herd"};
  return names;
}

backoff_policy occ_experiment::policy_of(const std::string& strategy) {
  // herd's clients do not sleep: the retry scheduler decides when they go again.
  return baseline_simulation::classic_policy(strategy == "herd" ? "none" : strategy, from_ms(5),
                                             from_ms(2000));
}

occ_experiment::trial occ_experiment::run_trial(const std::string& strategy, int32_t clients,
                                                uint64_t seed) {
  auto policy = policy_of(strategy);
  std::optional<occ_scheduler_harness> scheduler;
  if (strategy == "herd")
    scheduler.emplace(clients, seed);
  std::mt19937_64 rng{seed};
  std::normal_distribution<double> hop_dist{hop_mean_ms, hop_sd_ms};
  auto hop = [&] { return std::abs(hop_dist(rng)); };
  backoff delays{seed ^ 0x5bd1e995ULL};
  std::vector<std::string> ids;
  for (int32_t c = 0; c < clients; ++c)
    ids.push_back("c" + std::to_string(c));
  std::vector<int32_t> failures(static_cast<size_t>(clients), 0);
  std::priority_queue<event, std::vector<event>, std::greater<>> events;
  uint64_t seq = 0;
  auto at = [&](double t, step kind, int32_t c, int64_t version = 0) {
    events.push(event{t, seq++, kind, c, version});
  };
  // A client the scheduler released at `now` sends its next read.
  auto start_reads = [&](const std::vector<int32_t>& released, double now) {
    for (auto c : released)
      at(now + hop(), step::read_arrives, c);
  };
  int64_t row_version = 0;
  int32_t succeeded = 0;
  trial result;
  for (int32_t c = 0; c < clients; ++c)
    at(hop(), step::read_arrives, c);
  while (succeeded < clients) {
    // The scheduler's timers and the hops run on one clock, earliest first.
    auto timer = scheduler ? scheduler->next_timer_ms() : std::nullopt;
    if (timer && (events.empty() || *timer <= events.top().at)) {
      start_reads(scheduler->fire_next_timer(), *timer);
      continue;
    }
    if (events.empty())
      throw std::logic_error("occ_experiment: " + strategy + " stopped with " +
                             std::to_string(clients - succeeded) + " clients unfinished");
    auto ev = events.top();
    events.pop();
    auto now = ev.at;
    switch (ev.kind) {
    case step::read_arrives:
      at(now + hop(), step::read_reply, ev.client, row_version);
      break;
    case step::read_reply:
      ++result.calls;
      at(now + hop(), step::write_arrives, ev.client, ev.version);
      break;
    case step::write_arrives: {
      auto ok = ev.version == row_version;
      if (ok)
        ++row_version;
      at(now + hop(), step::write_reply, ev.client, ok ? 1 : 0);
      break;
    }
    case step::write_reply: {
      if (ev.version == 1) {
        ++succeeded;
        result.time_ms = std::max(result.time_ms, now);
        if (scheduler)
          start_reads(scheduler->write_succeeded(now), now);
        break;
      }
      auto n = ++failures[static_cast<size_t>(ev.client)];
      if (scheduler) {
        start_reads(scheduler->write_failed(ev.client, now), now);
        break;
      }
      auto sleep = policy.kind == backoff_kind::none
                       ? 0.0
                       : ms(delays.next(policy, ids[static_cast<size_t>(ev.client)], n));
      at(now + hop() + sleep, step::read_arrives, ev.client);
      break;
    }
    }
  }
  if (scheduler)
    result.scheduler_releases = scheduler->releases();
  return result;
}

std::vector<occ_experiment::point> occ_experiment::run(const std::vector<int32_t>& clients,
                                                       int32_t trials,
                                                       const progress_fn& progress) {
  std::vector<point> points;
  for (auto n : clients)
    for (auto& name : strategy_names()) {
      double calls = 0;
      double time = 0;
      for (int32_t t = 1; t <= trials; ++t) {
        auto r = run_trial(name, n, static_cast<uint64_t>(t));
        calls += static_cast<double>(r.calls);
        time += r.time_ms;
      }
      point p{n, name, std::round(calls / trials * 100) / 100,
              std::round(time / trials * 100) / 100};
      if (progress)
        progress(p);
      points.push_back(std::move(p));
    }
  return points;
}

nlohmann::ordered_json occ_experiment::to_json(const std::vector<point>& points) {
  auto results = nlohmann::ordered_json::array();
  for (auto& p : points)
    results.push_back({{"clients", p.clients},
                       {"strategy", p.strategy},
                       {"mean_calls", p.mean_calls},
                       {"mean_time_ms", p.mean_time_ms}});
  return {{"experiment", "aws-occ"}, {"results", results}};
}

} // namespace herd
