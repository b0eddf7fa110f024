// A pool of agents over real HTTP: `herd mock-llm` (in-process, real sockets) with a capacity and
// an outage, reached through the runtime's http_service, its breaker and the retry scheduler.
// Every task ends exactly once, and the mock receives no call while the breaker is open.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/http/http_test_support.hpp"
#include "herd/herd.hpp"
#include "herd/mock_llm/mock_llm_server.hpp"
#include "herd/simulation/calling_agent.hpp"
#include "spawn_function.hpp"

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

/// When the breaker of "llm" was open, in seconds since the mock started.
struct open_intervals {
  std::mutex mtx;
  clock_type::time_point origin;
  std::vector<std::pair<double, double>> closed_intervals;
  double opened_at = -1;

  double now() const { return std::chrono::duration<double>(clock_type::now() - origin).count(); }

  void on(const herd::breaker_transition& x) {
    std::lock_guard<std::mutex> guard{mtx};
    if (x.to == herd::breaker_state::open) {
      opened_at = now();
    } else if (x.from == herd::breaker_state::open && opened_at >= 0) {
      closed_intervals.emplace_back(opened_at, now());
      opened_at = -1;
    }
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(runtime_over_http)

BOOST_AUTO_TEST_CASE(a_pool_rides_out_an_outage_and_a_capacity_limit_over_http) {
  // The service: 120 calls/s; every call fails with 503 from 0.8 s to 4.8 s. (The mock listens
  // with a backlog of 1024: with cpp-httplib's 5, a burst of connects had SYNs dropped and
  // resent a second later, and a call started before the breaker opened arrived while it was.)
  herd::mock_llm_profile profile;
  profile.capacity_per_s = 120;
  profile.outages.push_back({800, 4000});
  herd::mock_llm_server mock{profile};
  auto intervals = std::make_shared<open_intervals>();
  intervals->origin = clock_type::now();
  mock.start();

  auto config = herd::runtime_config::from_json(nlohmann::json::parse(R"({
    "log_level": "error",
    "services": {"llm": {"type": "openai", "base_url": ")" + mock.url() +
                                                                      R"(",
                         "model": "mock-small", "api_key_required": false,
                         "timeout_ms": 5000}},
    "admission": {"defaults": {"published_window_ms": 1000}},
    "breakers": {"defaults": {"window_size": 20, "min_calls": 10, "open_duration_ms": 2200,
                              "open_multiplier": 1.0, "open_jitter": 0.0,
                              "half_open_probes": 1}},
    "policies": {"summary": {"preset": "read_only", "max_attempts": 30,
                             "backoff": {"kind": "full_jitter", "base_ms": 50, "cap_ms": 500}}}
  })"));
  herd::runtime rt{config};
  auto watcher = herd::test::spawn_function(
      rt.system(), [intervals](caf::event_based_actor*) -> caf::behavior {
        return {[intervals](const herd::breaker_transition& x) { intervals->on(x); }};
      });
  caf::anon_send(rt.breakers(), herd::subscribe_atom::value, watcher);
  auto breaker = rt.breaker_for("llm");
  BOOST_REQUIRE(breaker);
  rt.spawn_pool<herd::calling_agent>("writers", 8, *breaker);

  const int tasks = 600;
  std::vector<std::future<caf::expected<herd::outcome>>> futures;
  for (int i = 0; i < tasks; ++i) {
    auto t = herd::task::make(
        "s-" + std::to_string(i), "summary",
        {{"messages", {{{"role", "user"}, {"content", "summarize item " + std::to_string(i)}}}}},
        "writers", "llm");
    futures.push_back(rt.submit(std::move(t)));
  }
  std::map<std::string, int> by_status;
  std::set<std::string> ids;
  for (auto& f : futures) {
    BOOST_REQUIRE(f.wait_for(60s) == std::future_status::ready);
    auto result = f.get();
    BOOST_REQUIRE(result);
    ++by_status[herd::to_string(result->status)];
    ids.insert(result->task_id);
  }
  auto admission = rt.admission_stats_of("llm");
  BOOST_REQUIRE(admission.has_value());
  BOOST_TEST(admission->admitted > static_cast<uint64_t>(tasks));
  BOOST_TEST(admission->rate_per_s <= 120.0);
  auto report = rt.shutdown(herd::from_ms(5000));
  caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);

  // Every task ended exactly once.
  BOOST_TEST(ids.size() == static_cast<size_t>(tasks));
  BOOST_TEST(report.stats.balanced());
  BOOST_TEST(report.stats.accepted == static_cast<uint64_t>(tasks));
  BOOST_TEST(by_status["completed"] == tasks);

  // What the mock saw, per second since its start.
  httplib::Client http{"127.0.0.1", mock.port()};
  auto stats_reply = http.Get("/stats");
  BOOST_REQUIRE(stats_reply);
  auto stats = nlohmann::json::parse(stats_reply->body);
  BOOST_TEST(stats["by_status"].value("503", 0) > 0); // the outage was felt...
  // ...and the capacity was honoured: admission follows the limit the mock publishes.
  BOOST_TEST(stats["by_status"].value("429", 0) <= 5);
  std::map<int64_t, int64_t> per_second;
  for (auto& entry : stats["per_second"])
    per_second[entry["second"].get<int64_t>()] = entry["requests"].get<int64_t>();

  // No call reached the mock in any whole second during which the breaker stayed open (50 ms of
  // slack for the two clocks).
  std::lock_guard<std::mutex> guard{intervals->mtx};
  BOOST_REQUIRE(!intervals->closed_intervals.empty());
  for (auto [from, to] : intervals->closed_intervals)
    BOOST_TEST_MESSAGE("breaker open from " << from << " s to " << to << " s");
  for (auto& entry : stats["per_second"])
    BOOST_TEST_MESSAGE("mock second " << entry.dump());
  int quiet_seconds = 0;
  for (auto [from, to] : intervals->closed_intervals)
    for (int64_t s = static_cast<int64_t>(from) + 1; s + 1 <= to - 0.05; ++s)
      if (s - 0.05 >= from) {
        BOOST_TEST(per_second[s] == 0, "second " << s << " saw calls while the breaker was open");
        ++quiet_seconds;
      }
  BOOST_TEST(quiet_seconds >= 1);
  // The capacity held: no second served more than the mock allows plus its refusals.
  for (auto& entry : stats["per_second"])
    BOOST_TEST(entry["by_status"].value("200", 0) <= 120);
}

BOOST_AUTO_TEST_CASE(shutdown_ends_calls_that_hang) {
  herd::mock_llm_profile profile;
  profile.hang_rate = 1.0; // the service never answers
  herd::mock_llm_server mock{profile};
  mock.start();
  auto config = herd::runtime_config::from_json(nlohmann::json::parse(R"({
    "log_level": "error",
    "services": {"llm": {"type": "openai", "base_url": ")" + mock.url() +
                                                                      R"(",
                         "model": "mock-small", "api_key_required": false}}})"));
  herd::runtime rt{config};
  auto breaker = rt.breaker_for("llm");
  BOOST_REQUIRE(breaker);
  rt.spawn_pool<herd::calling_agent>("writers", 2, *breaker);
  std::vector<std::future<caf::expected<herd::outcome>>> futures;
  for (int i = 0; i < 4; ++i)
    futures.push_back(rt.submit(
        herd::task::make("h-" + std::to_string(i), "read_only", "summarize", "writers", "llm")));
  herd::test::wait_until([&] { return rt.http()->stats().in_flight >= 2; }, 5s);
  BOOST_REQUIRE(rt.http()->stats().in_flight == 2u);
  auto started = clock_type::now();
  auto report = rt.shutdown(herd::from_ms(200), herd::from_ms(1000));
  BOOST_TEST((clock_type::now() - started < 3s));
  BOOST_TEST(report.unfinished.size() == 4u); // handed back, not lost
  BOOST_TEST(report.killed.empty());
  BOOST_TEST(rt.http()->stats().in_flight == 0u);
  for (auto& f : futures) {
    BOOST_REQUIRE(f.wait_for(5s) == std::future_status::ready);
    auto result = f.get();
    BOOST_REQUIRE(result);
    BOOST_TEST(herd::to_string(result->status) == "handed_back");
  }
}

BOOST_AUTO_TEST_SUITE_END()
