// bench_retry_defaults: how long N orders take against a flaky SMTP service with the retry
// scheduler's default budget and pacing, next to the same workload with budget and/or pacing
// off and with token_ratio 0.5 and initial_rate 100 set explicitly (the defaults since issue
// 12, item 10; the mode shows what they do on a build with the older defaults).
//
// The workload: N tasks of kind "order" (the "default" policy: 5 attempts, full jitter from
// 100 ms) that name no service, run by A agents; each attempt "sends a mail" that fails with
// `transient (421) from smtp` with probability P (decided by a hash of task id and attempt, so
// every mode and round sees the same failures). No dead-letter queue: a task out of attempts ends
// as failed. One round runs every mode once on a fresh runtime (interleaved, so drift hits all
// modes alike); the report is per mode: median, min and max wall time over the rounds and the
// spread (max - min) / median.
//
// usage: bench_retry_defaults [--orders N] [--failure-rate P] [--agents A] [--rounds R]
//                             [--label TEXT] [--json]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include <herd/herd.hpp>
#include <nlohmann/json.hpp>

namespace {

constexpr const char* usage =
    "usage: bench_retry_defaults [--orders N] [--failure-rate P] [--agents A] [--rounds R]\n"
    "                            [--label TEXT] [--json]\n"
    "  wall time of N orders (default 200) whose mail to \"smtp\" fails with probability P\n"
    "  (default 0.3), run by A agents (default 8), with the retry defaults and with budget\n"
    "  and/or pacing off; R interleaved rounds (default 5); prints one JSON object.\n";

struct options {
  int orders = 200;
  double failure_rate = 0.3;
  int agents = 8;
  int rounds = 5;
  std::string label;
};

/// splitmix64: a well-mixed 64-bit hash of `x`.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Sends each order's mail: fails `failure_rate` of the attempts as `transient (421) from smtp`.
class order_agent : public herd::agent {
public:
  order_agent(caf::actor_config& cfg, double failure_rate)
      : herd::agent(cfg), failure_rate_(failure_rate) {}

protected:
  herd::outcome handle(const herd::task& t) override {
    auto h = mix(std::hash<std::string>{}(t.id) * 31 + static_cast<uint64_t>(t.attempt));
    if (static_cast<double>(h >> 11) / static_cast<double>(uint64_t{1} << 53) < failure_rate_)
      return herd::outcome::fail(herd::failure::transient("421 try again later").from("smtp", 421));
    return herd::outcome::success({{"mailed", t.id}});
  }

private:
  double failure_rate_;
};

struct mode {
  const char* name;
  bool budget;
  bool pacing;
  /// Budget tokens a success refunds and the pacer's first rate; 0 = the defaults.
  double token_ratio = 0;
  double initial_rate = 0;
};

struct run_result {
  double seconds = 0;
  int completed = 0;
  int failed = 0;
};

run_result run_once(const options& opt, const mode& m) {
  herd::runtime_config config;
  config.threads = 2;
  config.log_level = "off";
  config.retry.budget_enabled = m.budget;
  config.retry.pacing_enabled = m.pacing;
  if (m.token_ratio > 0)
    config.retry.budget.token_ratio = m.token_ratio;
  if (m.initial_rate > 0)
    config.retry.pacing.initial_rate = m.initial_rate;
  config.policies["order"] = herd::failure_policy::preset("default");
  herd::runtime rt{config};
  rt.spawn_pool<order_agent>("orders", static_cast<size_t>(opt.agents), opt.failure_rate);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::future<caf::expected<herd::outcome>>> futures;
  futures.reserve(static_cast<size_t>(opt.orders));
  for (int i = 0; i < opt.orders; ++i) {
    auto id = "order-" + std::to_string(i); // the same ids every round: the same failures
    futures.push_back(rt.submit(herd::task::make(id, "order", {{"n", i}}, "orders")));
  }
  run_result result;
  for (auto& f : futures) {
    auto o = f.get();
    if (o && o->ok())
      ++result.completed;
    else
      ++result.failed;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rt.shutdown(herd::from_ms(1000));
  return result;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

double rounded(double x, double unit = 1000) {
  return std::round(x * unit) / unit;
}

bool parse(int argc, char** argv, options& opt) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--orders" && (v = value()))
      opt.orders = std::atoi(v);
    else if (arg == "--failure-rate" && (v = value()))
      opt.failure_rate = std::atof(v);
    else if (arg == "--agents" && (v = value()))
      opt.agents = std::atoi(v);
    else if (arg == "--rounds" && (v = value()))
      opt.rounds = std::atoi(v);
    else if (arg == "--label" && (v = value()))
      opt.label = v;
    else if (arg == "--json")
      continue; // the output is always JSON

    else
      return false;
  }
  return opt.orders > 0 && opt.agents > 0 && opt.rounds > 0 && opt.failure_rate >= 0 &&
         opt.failure_rate < 1;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  if (!parse(argc, argv, opt)) {
    std::cerr << usage;
    return 2;
  }
  const std::vector<mode> modes{{"defaults", true, true},
                                {"budget_off", false, true},
                                {"pacing_off", true, false},
                                {"budget_and_pacing_off", false, false},
                                {"token_ratio_0.5_initial_rate_100", true, true, 0.5, 100}};
  std::vector<std::vector<run_result>> runs(modes.size());
  for (int round = 0; round < opt.rounds; ++round)
    for (size_t m = 0; m < modes.size(); ++m)
      runs[m].push_back(run_once(opt, modes[m]));
  auto results = nlohmann::json::array();
  for (size_t m = 0; m < modes.size(); ++m) {
    std::vector<double> seconds;
    int completed = 0;
    int failed = 0;
    for (auto& r : runs[m]) {
      seconds.push_back(r.seconds);
      completed += r.completed;
      failed += r.failed;
    }
    auto mid = median(seconds);
    auto [lo, hi] = std::minmax_element(seconds.begin(), seconds.end());
    results.push_back({{"mode", modes[m].name},
                       {"budget", modes[m].budget},
                       {"pacing", modes[m].pacing},
                       {"median_s", rounded(mid)},
                       {"min_s", rounded(*lo)},
                       {"max_s", rounded(*hi)},
                       {"spread", rounded(mid > 0 ? (*hi - *lo) / mid : 0)},
                       {"completed", completed},
                       {"failed", failed}});
  }
  std::cout << nlohmann::json{{"benchmark", "bench_retry_defaults"},
                              {"label", opt.label},
                              {"orders", opt.orders},
                              {"failure_rate", opt.failure_rate},
                              {"agents", opt.agents},
                              {"rounds", opt.rounds},
                              {"results", results}}
                   .dump()
            << '\n';
  return 0;
}
