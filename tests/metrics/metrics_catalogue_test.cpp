// The metrics of issue #18 (docs/metrics.md), each asserted on the instrument that a real actor or
// its plain state class keeps: series name, labels and value.
#include <cmath>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/http/http_test_support.hpp"
#include "actors/scripted_service.hpp"
#include "actors/test_agents.hpp"
#include "dispatch/dispatcher_state.hpp"
#include "herd/breakers/circuit_breaker.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/settlement.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_queue.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/http/http_service_config.hpp"
#include "herd/retry/retry_lanes.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/supervision/health_monitor.hpp"
#include "herd/supervision/protocol.hpp"
#include "spawn_function.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;

namespace {

constexpr uint64_t agent_key = 1;

/// A dispatcher state whose failed attempts go to a retry scheduler, one agent of concurrency 4
/// and helpers to run a task of kind "summarize" through it.
struct dispatcher_fixture {
  metrics_registry metrics;
  dispatcher_config config;
  time_point now = time_point{} + from_ms(1000000);
  dispatcher_state state{config, metrics, true};

  dispatcher_fixture() { state.join(agent_key, "default", "agent-1", 4, now); }

  /// Submits task `id` of kind "summarize" at `now`; the dispatcher leases it at once.
  void submit(const std::string& id) {
    auto t = task::make(id, "summarize");
    state.submit(t, now);
  }

  /// The lease id of the task leased by the last calls, which are then cleared.
  uint64_t leased() {
    auto& leases = state.actions().leases;
    BOOST_REQUIRE(leases.size() == 1u);
    auto id = leases.front().msg.get_as<std::vector<uint64_t>>(1).front();
    state.actions().clear();
    return id;
  }

  /// The task the retry scheduler was handed by the last calls, which are then cleared.
  task sent_to_retry() {
    BOOST_REQUIRE(state.actions().retries.size() == 1u);
    auto t = state.actions().retries.front();
    state.actions().clear();
    return t;
  }

  void report(uint64_t lease, outcome result) { state.report(lease, result, now); }

  double count(const std::string& name, const metric_labels& labels) {
    return metrics.total(name, labels);
  }

  bool exposes(const std::string& line) {
    return metrics.prometheus().find(line + "\n") != std::string::npos;
  }
};

/// The wall clock now, in seconds since the Unix epoch.
double wall_now_s() {
  return static_cast<double>(wall_now_ms()) / 1000.0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(metrics_catalogue_suite)

// -- 1. tasks by kind: settled, duration, attempts, success after retry ------------------------

BOOST_FIXTURE_TEST_CASE(a_completed_task_counts_by_kind_with_its_duration, dispatcher_fixture) {
  submit("t1");
  auto lease = leased();
  now += from_ms(3000);
  report(lease, outcome::success());
  BOOST_TEST(count("herd_tasks_settled_total", {{"kind", "summarize"}, {"state", "completed"}}) ==
             1);
  BOOST_TEST(count("herd_task_attempts_total", {{"kind", "summarize"}}) == 1);
  BOOST_TEST(count("herd_retried_tasks_settled_total", {{"kind", "summarize"}}) == 0);
  // 3 s from acceptance: in the 5 s bucket, not in the 2.5 s one.
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_bucket{kind="summarize",le="2.5"} 0)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_bucket{kind="summarize",le="5"} 1)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_bucket{kind="summarize",le="300"} 1)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_sum{kind="summarize"} 3)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_count{kind="summarize"} 1)"));
}

BOOST_FIXTURE_TEST_CASE(success_after_retry_and_settlements_from_elsewhere_count_by_kind,
                        dispatcher_fixture) {
  // t1 fails once, is retried and completes: retried and completed.
  submit("t1");
  report(leased(), outcome::fail(failure::transient("busy")));
  auto retry = sent_to_retry();
  retry.attempt = 2;
  now += from_ms(1000);
  state.resubmit(retry, now);
  report(leased(), outcome::success());
  // t2 fails, waits for its retry and the dead-letter queue settles it (settle_atom).
  submit("t2");
  report(leased(), outcome::fail(failure::permanent("bad input")));
  auto dead = sent_to_retry();
  auto settlement = settlement_of(dead, outcome_status::dead_lettered, "not retryable");
  state.settle_waiting(settlement, now);
  BOOST_TEST(count("herd_task_attempts_total", {{"kind", "summarize"}}) == 3);
  BOOST_TEST(count("herd_tasks_settled_total", {{"kind", "summarize"}, {"state", "completed"}}) ==
             1);
  BOOST_TEST(
      count("herd_tasks_settled_total", {{"kind", "summarize"}, {"state", "dead_lettered"}}) == 1);
  BOOST_TEST(count("herd_retried_tasks_settled_total",
                   {{"kind", "summarize"}, {"state", "completed"}}) == 1);
  BOOST_TEST(count("herd_retried_tasks_settled_total",
                   {{"kind", "summarize"}, {"state", "dead_lettered"}}) == 0);
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_count{kind="summarize"} 2)"));
}

BOOST_AUTO_TEST_CASE(a_task_the_retry_scheduler_ends_counts_with_its_kind_at_the_dispatcher) {
  // No dead-letter queue: the retry scheduler settles a non-retryable failure as failed, through
  // the dispatcher's settle message.
  runtime_config config;
  config.log_level = "off";
  herd::runtime rt{config};
  rt.spawn_pool<test::failing_agent>("llm", 1);
  auto ok = rt.run(task::make("ok", "read_only", nullptr, "llm"));
  auto bad = rt.run(task::make("bad", "read_only", {{"fail", "permanent"}}, "llm"));
  BOOST_REQUIRE(ok);
  BOOST_REQUIRE(bad);
  BOOST_TEST((bad->status == outcome_status::failed));
  auto& m = rt.metrics();
  BOOST_TEST(m.total("herd_tasks_settled_total", {{"kind", "read_only"}, {"state", "failed"}}) ==
             1);
  BOOST_TEST(m.total("herd_tasks_settled_total", {{"kind", "read_only"}, {"state", "completed"}}) ==
             1);
  BOOST_TEST(m.total("herd_task_attempts_total", {{"kind", "read_only"}}) == 2);
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_CASE(configured_kinds_are_exposed_at_zero_from_the_start) {
  metrics_registry metrics;
  dispatcher_config config;
  config.kinds = {"payment"};
  dispatcher_state state{config, metrics, false};
  auto text = metrics.prometheus();
  BOOST_TEST(text.find(R"(herd_tasks_settled_total{kind="payment",state="failed"} 0)") !=
             std::string::npos);
  BOOST_TEST(text.find(R"(herd_task_duration_seconds_count{kind="payment"} 0)") !=
             std::string::npos);
}

// -- 2. breaker: time in state -----------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(a_breaker_stamps_its_last_transition_on_the_wall_clock,
                        test::virtual_time_fixture) {
  auto script = std::make_shared<test::service_script>();
  auto service = sys.spawn<test::scripted_service>(script);
  breaker_policy policy;
  policy.min_calls = 2;
  policy.window_size = 2;
  auto started = wall_now_s();
  auto breaker = sys.spawn<circuit_breaker>("llm", "llm", service, policy, metrics, uint64_t{1});
  vt.run();
  auto& since = metrics->gauge("herd_breaker_state_since_timestamp_seconds", "",
                               {{"breaker", "llm"}, {"service", "llm"}});
  BOOST_TEST(since.value() >= started - 0.001);
  // Moving it by hand is a transition: the stamp moves to the wall-clock time of it.
  since.set(0);
  auto before = wall_now_s();
  self->send(breaker, transition_atom::value, breaker_state::forced_open);
  vt.run();
  BOOST_TEST(since.value() >= before - 0.001);
  BOOST_TEST(since.value() <= wall_now_s() + 0.001);
  self->send_exit(breaker, caf::exit_reason::kill);
  self->send_exit(service, caf::exit_reason::kill);
  vt.run();
}

// -- 3. dead letters by reason -----------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(dead_letter_depth_counts_by_reason, test::virtual_time_fixture) {
  test::temp_dir dir;
  dead_letter_queue_config config;
  config.poll_interval = duration{0};
  auto dlq =
      sys.spawn<dead_letter_queue>(config, std::make_unique<dead_letter_store>(dir.file("dlq.db")),
                                   caf::actor{self}, metrics, [] { return int64_t{1000}; });
  vt.run();
  auto add = [&](const std::string& id, dead_letter_reason why) {
    self->send(dlq, dead_letter_atom::value, test::failed_task(id), why);
    vt.run();
    BOOST_REQUIRE(next<caf::ok_atom>());
  };
  auto depth = [&](const std::string& reason) {
    return metrics->gauge("herd_dlq_depth", "", {{"reason", reason}}).value();
  };
  // Every reason is exposed, at 0 while none waits.
  BOOST_TEST(depth("budget_exhausted") == 0);
  add("a", dead_letter_reason::exhausted);
  add("b", dead_letter_reason::exhausted);
  add("c", dead_letter_reason::non_retryable);
  BOOST_TEST(depth("exhausted") == 2);
  BOOST_TEST(depth("non_retryable") == 1);
  BOOST_TEST(depth("handed_back") == 0);
  // A resolved letter no longer waits.
  self->send(dlq, dlq_resolve_atom::value, std::string{"c"}, std::string{"fixed by hand"});
  vt.run();
  BOOST_TEST(next<bool>().value_or(false));
  BOOST_TEST(depth("non_retryable") == 0);
  BOOST_TEST(metrics->prometheus().find(R"(herd_dlq_depth{reason="exhausted"} 2)") !=
             std::string::npos);
  caf::anon_send_exit(dlq, caf::exit_reason::user_shutdown);
  vt.run();
}

// -- 4. agents by health state -----------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(agents_count_by_health_state_with_every_state_present,
                        test::virtual_time_fixture) {
  auto monitor = sys.spawn<health_monitor>(health_monitor_config{}, caf::actor{}, metrics);
  auto idle = [](caf::event_based_actor*) -> caf::behavior { return {[](int) {}}; };
  auto a = herd::test::spawn_function(sys, idle);
  auto b = herd::test::spawn_function(sys, idle);
  auto c = herd::test::spawn_function(sys, idle);
  for (auto& [agent, name] : {std::pair{a, "a"}, std::pair{b, "b"}, std::pair{c, "c"}})
    self->send(monitor, track_atom::value, agent, std::string{name}, supervisor_actor{});
  vt.run();
  auto agents = [&](const std::string& state) {
    return metrics->gauge("herd_agents", "", {{"state", state}}).value();
  };
  BOOST_TEST(agents("healthy") == 3);
  for (auto state : {"suspect", "isolated", "restarting", "stopped"})
    BOOST_TEST(agents(state) == 0, state);
  self->send(monitor, state_atom::value, std::string{"b"}, health_state::restarting);
  caf::anon_send_exit(c, caf::exit_reason::kill); // gone for good: stopped
  vt.run();
  BOOST_TEST(agents("healthy") == 1);
  BOOST_TEST(agents("restarting") == 1);
  BOOST_TEST(agents("stopped") == 1);
  self->send(monitor, untrack_atom::value, std::string{"a"});
  vt.run();
  BOOST_TEST(agents("healthy") == 0);
  for (auto& x : {a, b, caf::actor_cast<caf::actor>(monitor)})
    caf::anon_send_exit(x, caf::exit_reason::kill);
  vt.run();
}

// -- 5. a task stuck in a retry loop ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_oldest_task_waiting_for_a_retry_shows_its_age_per_service) {
  auto metrics = std::make_shared<metrics_registry>();
  retry_scheduler_config config;
  config.budget_enabled = false;
  config.pacing_enabled = false;
  failure_policy every_minute;
  every_minute.max_attempts = 10;
  every_minute.backoff = {backoff_kind::fixed, from_ms(60000), 1.0, from_ms(60000)};
  retry_lanes lanes{config, {{"default", every_minute}}, metrics};
  auto t0 = from_epoch_ms(1000000);
  auto at = [&](int64_t s) { return t0 + from_ms(s * 1000); };
  // Accepted at `accepted_s`, its first attempt fails at `failed_s` (seconds after t0).
  auto fail = [&](const std::string& id, int64_t accepted_s, int64_t failed_s) {
    auto t = task::make(id, "default");
    t.created = at(accepted_s);
    t.history.push_back(
        attempt_record{1, at(failed_s), "agent-1", failure::transient("busy").from("llm", 503)});
    lanes.attempt_failed(std::move(t), at(failed_s));
    lanes.actions().clear();
  };
  auto age = [&] {
    return metrics->gauge("herd_retry_oldest_age_seconds", "", {{"service", "llm"}}).value();
  };
  // The start on the wall clock, so that an alert's `time() - start` keeps growing between events.
  auto seconds_ago = [&] {
    auto start =
        metrics->gauge("herd_retry_oldest_start_timestamp_seconds", "", {{"service", "llm"}})
            .value();
    return start == 0 ? -1.0 : static_cast<double>(wall_now_ms()) / 1000.0 - start;
  };
  fail("a", 0, 5); // due again at 65 s
  BOOST_TEST(age() == 5);
  BOOST_TEST(std::abs(seconds_ago() - 5) < 1.0);
  fail("b", 20, 30);                      // due again at 90 s
  BOOST_TEST(age() == 30);                // a is the oldest
  lanes.tick(lanes.generation(), at(65)); // a goes back to the dispatcher
  BOOST_TEST(lanes.actions().resubmit.size() == 1u);
  lanes.actions().clear();
  BOOST_TEST(age() == 45); // b, accepted at 20 s
  lanes.tick(lanes.generation(), at(90));
  BOOST_TEST(age() == 0); // none waits
  BOOST_TEST(seconds_ago() == -1.0);
}

// -- 6. LLM tokens and cost ---------------------------------------------------------------------

namespace {

/// The service config `text` (at /services/llm, a key that needs no environment).
http_service_config llm_service(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  j["api_key_required"] = false;
  return http_service_config::from_json(json_reader{j, "/services/llm"});
}

} // namespace

BOOST_AUTO_TEST_CASE(llm_answers_count_tokens_and_cost_by_provider_and_model) {
  auto metrics = std::make_shared<metrics_registry>();
  auto openai = llm_service(R"({"type": "openai", "base_url": "http://127.0.0.1:1",
      "model": "gpt-4o", "prices": {"input_per_million": 2.5, "output_per_million": 10}})")
                    .make_codec(metrics);
  auto answer = R"({"model": "gpt-4o-2024-08-06", "choices": [{"index": 0, "message":
      {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
      "usage": {"prompt_tokens": 1000, "completion_tokens": 200}})";
  BOOST_REQUIRE(openai->decode(test::response_with(200, answer)).ok());
  BOOST_REQUIRE(openai->decode(test::response_with(200, answer)).ok());
  metric_labels model{{"provider", "openai"}, {"model", "gpt-4o-2024-08-06"}};
  auto tokens = [&](metric_labels labels, const std::string& type) {
    labels.emplace_back("token_type", type);
    return metrics->total("herd_llm_tokens_total", labels);
  };
  BOOST_TEST(tokens(model, "input") == 2000);
  BOOST_TEST(tokens(model, "output") == 400);
  // 2 x (1000 x 2.5 + 200 x 10) / 1e6 USD
  BOOST_TEST(metrics->total("herd_llm_cost_usd_total", model) == 0.009,
             boost::test_tools::tolerance(1e-12));
  // Without prices, tokens are counted and cost is not.
  auto anthropic = llm_service(R"({"type": "anthropic", "base_url": "http://127.0.0.1:1",
      "model": "claude-sonnet-4-5"})")
                       .make_codec(metrics);
  BOOST_REQUIRE(anthropic
                    ->decode(test::response_with(200, R"({"type": "message",
      "model": "claude-sonnet-4-5", "content": [{"type": "text", "text": "hi"}],
      "stop_reason": "end_turn", "usage": {"input_tokens": 30, "output_tokens": 7}})"))
                    .ok());
  metric_labels claude{{"provider", "anthropic"}, {"model", "claude-sonnet-4-5"}};
  BOOST_TEST(tokens(claude, "input") == 30);
  BOOST_TEST(tokens(claude, "output") == 7);
  auto text = metrics->prometheus();
  BOOST_TEST(text.find(R"(herd_llm_cost_usd_total{provider="anthropic")") == std::string::npos);
  BOOST_TEST(
      text.find(R"(herd_llm_cost_usd_total{provider="openai",model="gpt-4o-2024-08-06"} 0.00)") !=
          std::string::npos,
      text);
  // A failed answer counts nothing.
  BOOST_TEST(!openai->decode(test::response_with(503, "{}")).ok());
  BOOST_TEST(tokens(model, "input") == 2000);
}

BOOST_AUTO_TEST_CASE(llm_prices_are_read_with_their_json_path) {
  auto prices = llm_service(R"({"type": "openai", "base_url": "http://127.0.0.1:1", "model": "m",
      "prices": {"input_per_million": 3, "output_per_million": 15}})")
                    .prices;
  BOOST_REQUIRE(prices.has_value());
  BOOST_TEST(prices->output_per_million == 15);
  BOOST_TEST(!llm_service(R"({"type": "openai", "base_url": "http://127.0.0.1:1", "model": "m"})")
                  .prices.has_value());
  for (auto& [bad, path] : std::vector<std::pair<std::string, std::string>>{
           {R"({"input_per_million": 3})", "/services/llm/prices/output_per_million"},
           {R"({"input_per_million": -1, "output_per_million": 1})",
            "/services/llm/prices/input_per_million"},
           {R"({"input_per_million": 1, "output_per_million": "15"})",
            "/services/llm/prices/output_per_million"},
           {R"({"input_per_million": 1, "output_per_million": 1, "currency": "EUR"})",
            "/services/llm/prices/currency"},
           {R"(3.0)", "/services/llm/prices"}}) {
    try {
      llm_service(R"({"type": "openai", "base_url": "http://127.0.0.1:1", "model": "m",
          "prices": )" +
                  bad + "}");
      BOOST_FAIL(bad << " should be rejected");
    } catch (const config_error& e) {
      BOOST_TEST(e.path() == path, bad << ": " << e.what());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
