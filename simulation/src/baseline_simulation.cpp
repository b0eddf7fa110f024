#include "herd/simulation/baseline_simulation.hpp"

#include <chrono>
#include <cmath>
#include <deque>
#include <queue>
#include <stdexcept>
#include <vector>

#include "herd/core/enum_name.hpp"
#include "herd/retry/backoff.hpp"
#include "herd/simulation/service_model.hpp"

namespace herd {

namespace {

enum class event_kind : uint8_t { arrival, answer, wake };

struct event {
  double at;
  uint64_t seq; // ties break in order of scheduling, so runs repeat exactly
  event_kind kind;
  uint32_t who; // the task (arrival) or the agent
  bool operator>(const event& other) const {
    return at != other.at ? at > other.at : seq > other.seq;
  }
};

struct agent_state {
  int64_t task = -1;
  int32_t failures = 0;
  service_answer last;
};

duration seconds(double s) {
  return std::chrono::duration_cast<duration>(std::chrono::duration<double>(s));
}

} // namespace

backoff_policy baseline_simulation::classic_policy(std::string_view kind, duration base,
                                                   duration cap) {
  auto parsed = parse_enum_name(kind, {backoff_kind::none, backoff_kind::exponential,
                                       backoff_kind::full_jitter, backoff_kind::equal_jitter,
                                       backoff_kind::decorrelated_jitter});
  if (!parsed)
    throw std::invalid_argument("not a classic backoff: " + std::string{kind});
  return backoff_policy{*parsed, base, 2.0, cap};
}

backoff_policy baseline_simulation::policy_of(const std::string& strategy, const scenario& config) {
  return classic_policy(strategy == "immediate" ? "none" : strategy, seconds(config.base_ms / 1000),
                        seconds(config.cap_ms / 1000));
}

baseline_simulation::baseline_simulation(const scenario& config, std::string strategy,
                                         const arrival_schedule& arrivals)
    : config_(&config), strategy_(std::move(strategy)), arrivals_(&arrivals) {}

strategy_result baseline_simulation::run(const progress_fn& progress) {
  auto wall_start = std::chrono::steady_clock::now();
  const auto& cfg = *config_;
  const auto& times = arrivals_->times();
  auto policy = policy_of(strategy_, cfg);
  auto honours_hints = strategy_ != "immediate";
  service_model service{cfg, cfg.seed};
  backoff delays{cfg.seed + 1};
  run_recorder recorder;
  std::priority_queue<event, std::vector<event>, std::greater<>> events;
  uint64_t seq = 0;
  auto schedule = [&](double at, event_kind kind, uint32_t who) {
    events.push(event{at, seq++, kind, who});
  };
  std::vector<agent_state> agents(static_cast<size_t>(cfg.agents));
  std::vector<uint32_t> idle;
  for (auto i = agents.size(); i > 0; --i)
    idle.push_back(static_cast<uint32_t>(i - 1));
  std::deque<int64_t> waiting;
  double now = 0;

  auto call = [&](uint32_t a) {
    auto& st = agents[a];
    st.last = service.call(now);
    recorder.on_call(now, st.last.ok);
    schedule(now + st.last.latency_s, event_kind::answer, a);
  };
  auto start = [&](uint32_t a, int64_t task) {
    agents[a].task = task;
    agents[a].failures = 0;
    call(a);
  };
  auto next = [&](uint32_t a) {
    agents[a].task = -1;
    if (waiting.empty()) {
      idle.push_back(a);
      return;
    }
    auto task = waiting.front();
    waiting.pop_front();
    start(a, task);
  };
  auto end = [&](uint32_t a, task_end how) {
    auto task = agents[a].task;
    recorder.on_end(now, how, now - times[static_cast<size_t>(task)]);
    if (policy.kind == backoff_kind::decorrelated_jitter)
      delays.forget(std::to_string(task));
    next(a);
  };

  if (!times.empty())
    schedule(times[0], event_kind::arrival, 0);
  double next_progress = 1;
  while (!events.empty()) {
    auto ev = events.top();
    events.pop();
    now = ev.at;
    recorder.close_until(now);
    if (progress && now >= next_progress) {
      progress(now);
      next_progress = std::floor(now) + 1;
    }
    switch (ev.kind) {
    case event_kind::arrival: {
      recorder.on_arrival();
      if (idle.empty()) {
        waiting.push_back(ev.who);
      } else {
        auto a = idle.back();
        idle.pop_back();
        start(a, ev.who);
      }
      if (ev.who + 1 < times.size())
        schedule(times[ev.who + 1], event_kind::arrival, ev.who + 1);
      break;
    }
    case event_kind::answer: {
      auto& st = agents[ev.who];
      if (st.last.ok) {
        end(ev.who, task_end::completed);
        break;
      }
      ++st.failures;
      if (st.failures >= cfg.max_attempts) {
        end(ev.who, task_end::dead_lettered);
        break;
      }
      double sleep = 0;
      if (honours_hints && st.last.retry_after_s > 0)
        sleep = st.last.retry_after_s;
      else if (policy.kind != backoff_kind::none)
        sleep =
            std::chrono::duration<double>(delays.next(policy, std::to_string(st.task), st.failures))
                .count();
      schedule(now + sleep, event_kind::wake, ev.who);
      break;
    }
    case event_kind::wake:
      call(ev.who);
      break;
    }
  }
  recorder.close_until(std::ceil(now) + 1);
  auto result = strategy_result::make(strategy_, cfg, recorder);
  result.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

} // namespace herd
