// The call guard without actors: step limit and loops per attempt, retries not counted as loops,
// the task's own budget, charges by service prices or the table, intake admission, state dropped
// at settle, the budgets' JSON for /api/state.
#include <boost/test/unit_test.hpp>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/budgets/budget_test_support.hpp"
#include "herd/degradation/call_guard.hpp"
#include "spawn_function.hpp"

using namespace herd;

namespace {

/// An answer of a chat codec: `input` and `output` tokens of `model`.
outcome answer(int64_t input, int64_t output, const std::string& model = "m") {
  return outcome::success(
      {{"model", model}, {"usage", {{"input_tokens", input}, {"output_tokens", output}}}});
}

task work(const std::string& id, int32_t attempt = 1, const std::string& pool = "p") {
  auto t = task::make(id, "read_only", nullptr, pool, "llm");
  t.attempt = attempt;
  return t;
}

/// 1000 input tokens at 10 USD per million: 0.01 USD per call.
llm_prices cent_per_call() {
  return llm_prices{10.0, 0.0};
}

const int64_t noon = test::utc("2026-12-01T12:00:10");

} // namespace

BOOST_AUTO_TEST_SUITE(degradation_suite)

BOOST_AUTO_TEST_CASE(guard_stops_the_fifth_identical_call_and_quotes_the_request) {
  call_guard guard{call_guard::settings{}};
  auto t = work("t1");
  for (int i = 1; i <= 4; ++i)
    BOOST_TEST(!guard.check(t, "llm", R"({"q": "same"})", noon));
  auto stop = guard.check(t, "llm", R"({"q":"same"})", noon); // canonically the same
  BOOST_REQUIRE(stop);
  BOOST_TEST(to_string(stop->category) == "loop_detected");
  BOOST_TEST(stop->service == "llm");
  BOOST_TEST(stop->message.find(R"({"q":"same"})") != std::string::npos);
  BOOST_TEST(stop->message.find("5 times") != std::string::npos);
  BOOST_TEST(guard.check(t, "llm", R"({"q":"other"})", noon).has_value()); // stays stopped
}

BOOST_AUTO_TEST_CASE(guard_warns_from_the_third_repeat_and_counts_it) {
  auto metrics = std::make_shared<metrics_registry>();
  call_guard guard{call_guard::settings{}, metrics};
  auto t = work("t1");
  for (int i = 1; i <= 4; ++i)
    BOOST_TEST(!guard.check(t, "llm", "{}", noon));
  BOOST_TEST(metrics->total("herd_loop_warnings_total") == 2); // the 3rd and the 4th
}

BOOST_AUTO_TEST_CASE(guard_stops_call_51_as_step_limit) {
  call_guard guard{call_guard::settings{}};
  auto t = work("t1");
  for (int i = 1; i <= 50; ++i)
    BOOST_TEST_REQUIRE(!guard.check(t, "llm", nlohmann::json{{"n", i}}.dump(), noon));
  auto stop = guard.check(t, "llm", R"({"n": 51})", noon);
  BOOST_REQUIRE(stop);
  BOOST_TEST(to_string(stop->category) == "step_limit");
  BOOST_TEST(stop->message.find("call 51") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_retry_repeating_its_call_is_not_a_loop_but_its_steps_count) {
  call_guard::settings config;
  config.loop_limits.max_steps = 12;
  call_guard guard{config};
  // Ten attempts of one call each (a policy with max_attempts 10 > stop_repeats 5).
  for (int32_t attempt = 1; attempt <= 10; ++attempt)
    BOOST_TEST_REQUIRE(!guard.check(work("t1", attempt), "llm", "{}", noon));
  // Within one attempt the loop is still caught: attempt 11 repeats it 5 times.
  for (int i = 1; i <= 2; ++i)
    BOOST_TEST(!guard.check(work("t1", 11), "llm", "{}", noon));
  // ... but the task has now made 12 calls: the 13th is over the step limit.
  auto stop = guard.check(work("t1", 11), "llm", "{}", noon);
  BOOST_REQUIRE(stop);
  BOOST_TEST(to_string(stop->category) == "step_limit");
}

BOOST_AUTO_TEST_CASE(the_tasks_own_hard_budget_refuses_its_next_call) {
  call_guard::settings config;
  config.budgets.task = test::limit(budget_period::total, std::nullopt, 0.015);
  call_guard guard{config};
  guard.add_service("llm", cent_per_call());
  auto t = work("t1");
  BOOST_TEST(!guard.check(t, "llm", R"({"n":1})", noon));
  BOOST_TEST(*guard.charge(t, "llm", answer(1000, 0), noon) == 0.01,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(!guard.check(t, "llm", R"({"n":2})", noon));
  guard.charge(t, "llm", answer(1000, 0), noon); // 0.02: over the hard limit
  auto stop = guard.check(t, "llm", R"({"n":3})", noon);
  BOOST_REQUIRE(stop);
  BOOST_TEST(to_string(stop->category) == "budget_exhausted");
  // Another task has its own budget.
  BOOST_TEST(!guard.check(work("t2"), "llm", R"({"n":3})", noon));
}

BOOST_AUTO_TEST_CASE(answers_are_priced_by_the_service_else_by_the_table_else_not_charged) {
  call_guard::settings config;
  config.budgets.prices.set("cheap", llm_prices{1.0, 2.0});
  auto metrics = std::make_shared<metrics_registry>();
  call_guard guard{config, metrics};
  guard.add_service("llm", cent_per_call());
  guard.add_service("other");
  auto t = work("t1");
  BOOST_TEST(*guard.charge(t, "llm", answer(1000, 0), noon) == 0.01,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*guard.charge(t, "other", answer(1'000'000, 1'000'000, "cheap"), noon) == 3.0,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(!guard.charge(t, "other", answer(1000, 0, "unknown"), noon));
  BOOST_TEST(!guard.charge(t, "llm", outcome::success({{"text", "no usage"}}), noon));
  BOOST_TEST(metrics->total("herd_budget_unpriced_calls_total") == 1);
  guard.charge_usd(t, 0.5, noon);
  BOOST_TEST(guard.spent_by("t1") == 3.51, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(a_spent_runtime_or_pool_budget_refuses_intake_until_the_window_resets) {
  call_guard::settings config;
  config.budgets.runtime = {test::limit(budget_period::minute, std::nullopt, 0.02)};
  config.budgets.pools["p"] = {test::limit(budget_period::hour, 0.005, 0.01)};
  auto metrics = std::make_shared<metrics_registry>();
  call_guard guard{config, metrics};
  BOOST_TEST(guard.admit("p", noon).admitted);
  guard.charge_usd(work("t1", 1, "p"), 0.01, noon); // the pool's hard limit
  auto pool = guard.admit("p", noon);
  BOOST_TEST(!pool.admitted);
  BOOST_TEST(pool.why.find("pool p") != std::string::npos);
  BOOST_TEST(guard.admit("q", noon).admitted);
  guard.charge_usd(work("t2", 1, "q"), 0.01, noon); // the runtime's minute is spent
  auto runtime = guard.admit("q", noon);
  BOOST_REQUIRE(!runtime.admitted);
  BOOST_TEST(*runtime.until_ms == test::utc("2026-12-01T12:01"));
  BOOST_TEST(runtime.why.find("2026-12-01T12:01:00.000Z") != std::string::npos);
  BOOST_TEST(guard.admit("q", test::utc("2026-12-01T12:01")).admitted);
  BOOST_TEST(metrics->total("herd_budget_crossings_total", {{"level", "hard"}}) == 2);
  BOOST_TEST(metrics->total("herd_budget_crossings_total", {{"level", "soft"}}) == 1);
  BOOST_TEST(metrics->total("herd_budget_spent_usd", {{"subject", "runtime"}}) == 0.02,
             boost::test_tools::tolerance(1e-9));
  auto rows = guard.budgets_json(noon);
  BOOST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0]["subject"] == "runtime");
  BOOST_TEST(rows[0]["window"] == "minute");
  BOOST_TEST(rows[0]["remaining_usd"].get<double>() == 0.0);
  BOOST_TEST(rows[0]["resets_at"] == "2026-12-01T12:01:00.000Z");
  BOOST_TEST(rows[1]["subject"] == "pool:p");
  BOOST_TEST(rows[1]["soft_usd"].get<double>() == 0.005);
}

BOOST_AUTO_TEST_CASE(settled_tasks_are_forgotten_and_the_state_is_bounded) {
  call_guard::settings config;
  config.max_tasks = 2;
  call_guard guard{config};
  guard.check(work("a"), "llm", "{}", noon);
  guard.check(work("b"), "llm", "{}", noon);
  guard.settled("a");
  BOOST_TEST(guard.tasks_tracked() == 1u);
  guard.check(work("c"), "llm", "{}", noon);
  guard.check(work("d"), "llm", "{}", noon); // over max_tasks: the least recent (b) goes
  BOOST_TEST(guard.tasks_tracked() == 2u);
}

BOOST_AUTO_TEST_CASE(breakers_are_cached_per_service_or_per_agent_as_the_scope_says) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto breaker = herd::test::spawn_function(sys, [] { return caf::behavior{[](int) {}}; });
  call_guard shared{call_guard::settings{}};
  shared.remember_breaker("a-1", "llm", breaker);
  BOOST_TEST((shared.cached_breaker("a-2", "llm") == breaker));
  call_guard::settings per_agent;
  per_agent.scope = breaker_scope::agent_service;
  call_guard own{per_agent};
  own.remember_breaker("a-1", "llm", breaker);
  BOOST_TEST((own.cached_breaker("a-1", "llm") == breaker));
  BOOST_TEST(!own.cached_breaker("a-2", "llm"));
  own.set_breakers(caf::actor{}); // a new registry: new breakers
  BOOST_TEST(!own.cached_breaker("a-1", "llm"));
  caf::anon_send_exit(breaker, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_SUITE_END()
