#include "herd/simulation/live_fleet.hpp"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "herd/http/http_client.hpp"
#include "herd/http/rate_limit_headers.hpp"
#include "herd/retry/backoff.hpp"
#include "herd/simulation/baseline_simulation.hpp"

namespace herd {

namespace {

using steady = std::chrono::steady_clock;

/// Answers handed from the client's I/O thread to the fleet's thread.
struct answer_box {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::pair<size_t, http_response>> answers;
};

struct client_state {
  int64_t task = -1;
  int32_t calls = 0;
};

struct wake {
  steady::time_point at;
  size_t client;
  bool operator>(const wake& other) const { return at > other.at; }
};

} // namespace

live_fleet::live_fleet(const scenario& config, std::string strategy,
                       const arrival_schedule& arrivals, std::string base_url,
                       std::shared_ptr<run_recorder> recorder)
    : config_(&config), strategy_(std::move(strategy)), arrivals_(&arrivals),
      base_url_(std::move(base_url)), recorder_(std::move(recorder)) {}

void live_fleet::run(double wall_limit_s, const progress_fn& progress) {
  const auto& cfg = *config_;
  const auto& times = arrivals_->times();
  auto policy = baseline_simulation::policy_of(strategy_, cfg);
  auto honours_hints = strategy_ != "immediate";
  backoff delays{cfg.seed + 1};
  http_client_config client_config;
  client_config.max_connections_per_host = static_cast<int32_t>(cfg.agents);
  client_config.max_connections = static_cast<int32_t>(cfg.agents) + 16;
  http_client client{client_config};
  auto box = std::make_shared<answer_box>();
  http_request request;
  request.url = base_url_ + "/v1/chat/completions";
  request.headers = {{"content-type", "application/json"}};
  request.body = nlohmann::json{{"model", "mock-small"},
                                {"messages", {{{"role", "user"}, {"content", "live run"}}}}}
                     .dump();

  std::vector<client_state> clients(static_cast<size_t>(cfg.agents));
  std::vector<size_t> idle;
  for (auto i = clients.size(); i > 0; --i)
    idle.push_back(i - 1);
  std::deque<int64_t> waiting;
  std::priority_queue<wake, std::vector<wake>, std::greater<>> wakes;
  auto start = steady::now();
  auto seconds_since = [&](steady::time_point t) {
    return std::chrono::duration<double>(t - start).count();
  };
  auto call = [&](size_t c) {
    ++clients[c].calls;
    client.start(request, [box, c](http_response r) {
      std::lock_guard<std::mutex> guard{box->mutex};
      box->answers.emplace_back(c, std::move(r));
      box->changed.notify_one();
    });
  };
  auto begin = [&](size_t c, int64_t task) {
    clients[c] = client_state{task, 0};
    call(c);
  };
  auto end = [&](size_t c, task_end how, double now_s) {
    auto task = clients[c].task;
    recorder_->on_end(now_s, how, now_s - times[static_cast<size_t>(task)]);
    if (policy.kind == backoff_kind::decorrelated_jitter)
      delays.forget(std::to_string(task));
    clients[c].task = -1;
    if (waiting.empty()) {
      idle.push_back(c);
      return;
    }
    auto next = waiting.front();
    waiting.pop_front();
    begin(c, next);
  };
  auto answered = [&](size_t c, const http_response& r, double now_s) {
    auto& st = clients[c];
    if (r.ok())
      return end(c, task_end::completed, now_s);
    if (st.calls >= cfg.max_attempts)
      return end(c, task_end::dead_lettered, now_s);
    std::optional<duration> sleep;
    if (honours_hints) {
      auto asked = rate_limit_headers::requested_wait(r, std::chrono::system_clock::now());
      if (asked && *asked > duration{0} &&
          *asked <= std::chrono::duration<double>(max_retry_after_s))
        sleep = *asked;
    }
    if (!sleep)
      sleep = policy.kind == backoff_kind::none
                  ? duration{0}
                  : delays.next(policy, std::to_string(st.task), st.calls);
    wakes.push(wake{steady::now() + *sleep, c});
  };

  size_t next_arrival = 0;
  double next_progress_s = 0;
  auto n = times.size();
  while (recorder_->ended_total() < n) {
    auto now = steady::now();
    auto now_s = seconds_since(now);
    if (now_s >= wall_limit_s)
      break;
    for (; next_arrival < n && times[next_arrival] <= now_s; ++next_arrival) {
      recorder_->on_arrival();
      auto task = static_cast<int64_t>(next_arrival);
      if (idle.empty()) {
        waiting.push_back(task);
      } else {
        auto c = idle.back();
        idle.pop_back();
        begin(c, task);
      }
    }
    while (!wakes.empty() && wakes.top().at <= now) {
      auto c = wakes.top().client;
      wakes.pop();
      call(c);
    }
    std::deque<std::pair<size_t, http_response>> answers;
    {
      std::lock_guard<std::mutex> guard{box->mutex};
      answers.swap(box->answers);
    }
    for (auto& [c, r] : answers)
      answered(c, r, now_s);
    recorder_->close_until(std::floor(now_s));
    if (progress && now_s >= next_progress_s) {
      progress(now_s);
      next_progress_s = now_s + 0.1;
    }
    if (!answers.empty())
      continue; // ends may have started calls or freed clients: look again at once
    auto until = now + std::chrono::milliseconds(100);
    if (next_arrival < n)
      until = std::min(until, start + std::chrono::duration_cast<steady::duration>(
                                          std::chrono::duration<double>(times[next_arrival])));
    if (!wakes.empty())
      until = std::min(until, wakes.top().at);
    std::unique_lock<std::mutex> lock{box->mutex};
    box->changed.wait_until(lock, until, [&] { return !box->answers.empty(); });
  }
  client.stop();
  recorder_->close_until(std::ceil(seconds_since(steady::now())) + 1);
}

} // namespace herd
