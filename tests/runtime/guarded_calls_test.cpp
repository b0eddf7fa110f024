// Agents' service calls through the runtime's call guard, in virtual time: loops and step limits
// end tasks (escalated, with the repeated request in the record), retries are not loops, tier
// params are merged, answers are charged, a spent hard budget pauses intake until its window
// resets while accepted tasks finish, a task over its own budget ends as budget_exhausted.
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "actors/budgets/budget_test_support.hpp"
#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/scripted_service.hpp"
#include "herd/core/errc.hpp"
#include "herd/degradation/call_guard.hpp"
#include "herd/dispatch/agent.hpp"
#include "herd/dispatch/service_agent.hpp"
#include "herd/runtime/runtime.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;

namespace {

/// Every request a service received.
using request_log = std::shared_ptr<std::vector<std::string>>;

/// An LLM-like service: each answer used 1000 input tokens of model "m" and echoes the request.
caf::behavior priced_llm(caf::event_based_actor*, request_log seen) {
  return {
      [seen](call_atom, const std::string& request) {
        seen->push_back(request);
        return outcome::success({{"model", "m"},
                                 {"usage", {{"input_tokens", 1000}, {"output_tokens", 0}}},
                                 {"echo", request}});
      },
  };
}

/// Makes `calls` calls to the task's service one after the other ({"q": "same"}, or {"n": i}
/// with `distinct`), then succeeds, or fails with `fail` (a category) if given; a refused or
/// failed call ends the task with that failure.
class repeating_agent : public agent {
public:
  using agent::agent;

protected:
  void handle_async(const task& t, task_completion done) override {
    auto spec = nlohmann::json::parse(t.payload);
    step(t, done, 0, spec);
  }

private:
  void step(const task& t, task_completion done, int i, const nlohmann::json& spec) {
    if (i == spec.value("calls", 1)) {
      if (spec.contains("fail"))
        done.fail(
            failure::make(*parse_failure_category(spec["fail"].get<std::string>()), "scripted"));
      else
        done.succeed({{"calls", i}});
      return;
    }
    nlohmann::json request{{"q", "same"}};
    if (spec.value("distinct", false))
      request["n"] = i;
    call(t, request.dump(), [this, t, done, i, spec](outcome answer) {
      if (!answer.ok())
        done.finish(std::move(answer));
      else
        step(t, done, i + 1, spec);
    });
  }
};

/// Calls the task's service with its payload and a 1 s timeout.
class impatient_agent : public agent {
public:
  using agent::agent;

protected:
  void handle_async(const task& t, task_completion done) override {
    call(
        t, t.payload, [done](outcome answer) { done.finish(std::move(answer)); }, from_ms(1000));
  }
};

struct guarded_runtime_fixture : test::virtual_time_fixture {
  test::temp_dir dir;
  runtime_config config;
  std::unique_ptr<runtime> rt;
  request_log seen = std::make_shared<std::vector<std::string>>();

  guarded_runtime_fixture() {
    config.log_level = "off";
    dead_letter_queue_config dead_letters;
    dead_letters.db = dir.file("herd.db");
    config.dead_letters = dead_letters;
    // "quick": 6 attempts (more than stop_repeats 5), no backoff.
    auto& quick = config.policies["quick"];
    quick = failure_policy::preset("read_only");
    quick.max_attempts = 6;
    quick.backoff = {backoff_kind::none, duration{0}, 1.0, duration{0}};
    config.policies["read_only"] = failure_policy::preset("read_only");
    auto& once = config.policies["once"];
    once = failure_policy::preset("read_only");
    once.max_attempts = 1;
    // 1000 input tokens of "m" cost 0.01 USD.
    config.budgets.prices.set("m", llm_prices{10.0, 0.0});
  }

  ~guarded_runtime_fixture() {
    rt.reset();
    vt.run();
  }

  template <class Agent>
  void start(size_t agents = 1, caf::actor service = {}) {
    rt = std::make_unique<runtime>(sys, config);
    rt->add_service("llm", service ? service : sys.spawn(priced_llm, seen));
    rt->spawn_pool<Agent>("p", agents);
    vt.run();
  }

  std::future<caf::expected<outcome>> submit(const std::string& id, nlohmann::json payload,
                                             const std::string& kind = "read_only") {
    return rt->submit(task::make(id, kind, std::move(payload), "p", "llm"));
  }

  /// The outcome of `f`, after running the system (moving virtual time only when nothing else
  /// is left, up to a minute: budget windows move with it).
  outcome settle(std::future<caf::expected<outcome>>& f) {
    auto ready = [&f] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; };
    vt.run();
    for (int i = 0; i < 600 && !ready(); ++i)
      vt.advance(from_ms(100));
    BOOST_REQUIRE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    auto result = f.get();
    BOOST_REQUIRE(result);
    return *result;
  }

  double metric(const std::string& name, const metric_labels& labels = {}) {
    return rt->metrics().total(name, labels);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(guarded_calls, guarded_runtime_fixture)

BOOST_AUTO_TEST_CASE(the_same_request_six_times_ends_loop_detected_and_escalated) {
  start<repeating_agent>();
  auto f = submit("loop", {{"calls", 6}});
  auto o = settle(f);
  BOOST_TEST(to_string(o.status) == "escalated");
  BOOST_TEST(to_string(o.error.category) == "loop_detected");
  // The record names the repeated request; the fifth call was not made.
  BOOST_TEST(o.error.message.find(R"({"q":"same"})") != std::string::npos);
  BOOST_TEST(seen->size() == 4u);
  BOOST_TEST(metric("herd_loop_warnings_total") == 2);
  BOOST_TEST(metric("herd_loop_stops_total") == 1);
  BOOST_TEST(rt->guard()->tasks_tracked() == 0u); // dropped at settle
  auto stats = rt->stats();
  BOOST_TEST(stats.escalated == 1u);
  BOOST_TEST(stats.balanced());
}

BOOST_AUTO_TEST_CASE(fifty_one_distinct_calls_end_as_step_limit) {
  start<repeating_agent>();
  auto f = submit("steps", {{"calls", 51}, {"distinct", true}});
  auto o = settle(f);
  BOOST_TEST(to_string(o.status) == "escalated");
  BOOST_TEST(to_string(o.error.category) == "step_limit");
  BOOST_TEST(seen->size() == 50u);
  BOOST_TEST(metric("herd_step_limit_stops_total") == 1);
  BOOST_TEST(rt->stats().balanced());
}

BOOST_AUTO_TEST_CASE(a_task_retried_more_often_than_stop_repeats_uses_all_its_attempts) {
  start<repeating_agent>();
  // Each attempt makes the same call once, then fails transiently: 6 attempts, 6 calls.
  auto f = submit("retried", {{"calls", 1}, {"fail", "transient"}}, "quick");
  auto o = settle(f);
  BOOST_TEST(to_string(o.status) == "dead_lettered");
  BOOST_TEST(to_string(o.error.category) == "transient");
  BOOST_TEST(o.attempt == 6);
  BOOST_TEST(seen->size() == 6u);
  BOOST_TEST(metric("herd_loop_stops_total") == 0);
  BOOST_TEST(rt->stats().balanced());
}

BOOST_AUTO_TEST_CASE(a_service_agent_sends_the_payload_with_the_tiers_params_merged) {
  config.budgets.runtime = {test::limit(budget_period::day, 1.0, std::nullopt)};
  start<service_agent>();
  auto t = task::make("tier", "read_only", {{"q", "hi"}, {"model", "big"}}, "p", "llm");
  t.route.tier = "small";
  t.route.params = R"({"model": "small", "max_tokens": 5})";
  auto f = rt->submit(t);
  auto o = settle(f);
  BOOST_TEST(o.ok());
  BOOST_REQUIRE(seen->size() == 1u);
  BOOST_TEST(nlohmann::json::parse(seen->front()) ==
             nlohmann::json({{"q", "hi"}, {"model", "small"}, {"max_tokens", 5}}));
  // The answer was charged to the runtime.
  BOOST_TEST(metric("herd_budget_spent_usd", {{"subject", "runtime"}}) == 0.01,
             boost::test_tools::tolerance(1e-9));
  auto rows = rt->guard()->budgets_json(wall_now_ms());
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0]["window"] == "day");
}

BOOST_AUTO_TEST_CASE(a_spent_runtime_budget_pauses_intake_until_the_minute_resets) {
  config.budgets.runtime = {test::limit(budget_period::minute, std::nullopt, 0.015)};
  start<repeating_agent>(1);
  // Both accepted; the first one's second call spends the minute's budget.
  auto first = submit("first", {{"calls", 2}});
  auto queued = submit("queued", {{"calls", 1}});
  BOOST_TEST(settle(first).ok());
  BOOST_TEST(settle(queued).ok()); // accepted before: it finishes, and is charged
  BOOST_TEST(metric("herd_budget_spent_usd", {{"subject", "runtime"}}) == 0.03,
             boost::test_tools::tolerance(1e-9));
  auto refused = rt->run(task::make("refused", "read_only", {{"calls", 1}}, "p", "llm"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().code() == static_cast<uint8_t>(errc::budget_exhausted));
  BOOST_TEST(sys.render(refused.error()).find("resets at") != std::string::npos);
  BOOST_TEST(metric("herd_budget_intake_paused") == 1);
  // An operator's pause is separate: intake_paused stays false.
  BOOST_TEST(!rt->stats().intake_paused);
  // The timer at the reset resumes intake.
  vt.advance(from_ms(61000));
  BOOST_TEST(metric("herd_budget_intake_paused") == 0);
  auto later = submit("later", {{"calls", 1}});
  BOOST_TEST(settle(later).ok());
  auto stats = rt->stats();
  BOOST_TEST(stats.completed == 3u);
  BOOST_TEST(stats.rejected == 1u);
  BOOST_TEST(stats.balanced());
}

BOOST_AUTO_TEST_CASE(a_task_over_its_own_budget_ends_as_budget_exhausted) {
  config.budgets.task = test::limit(budget_period::total, std::nullopt, 0.015);
  start<repeating_agent>();
  auto f = submit("costly", {{"calls", 3}, {"distinct", true}});
  auto o = settle(f);
  BOOST_TEST(to_string(o.status) == "dead_lettered"); // read_only: on_non_retryable
  BOOST_TEST(to_string(o.error.category) == "budget_exhausted");
  BOOST_TEST(o.attempt == 1); // never retried
  BOOST_TEST(seen->size() == 2u);
  BOOST_TEST(rt->stats().balanced());
}

BOOST_AUTO_TEST_CASE(a_call_without_an_answer_fails_as_timeout_naming_the_service) {
  auto script = std::make_shared<test::service_script>();
  script->mode = "hang";
  start<impatient_agent>(1, sys.spawn<test::scripted_service>(script));
  auto f = submit("silent", {{"q", "hi"}}, "once");
  auto o = settle(f);
  BOOST_TEST(to_string(o.status) == "dead_lettered");
  BOOST_TEST(to_string(o.error.category) == "timeout");
  BOOST_TEST(o.error.service == "llm");
  BOOST_TEST(script->calls == 1);
  BOOST_TEST(rt->stats().balanced());
}

BOOST_AUTO_TEST_CASE(a_spent_pool_budget_refuses_that_pools_submits_only) {
  config.budgets.pools["p"] = {test::limit(budget_period::hour, std::nullopt, 0.005)};
  start<repeating_agent>();
  rt->spawn_pool<repeating_agent>("q", 1);
  vt.run();
  auto first = submit("first", {{"calls", 1}});
  BOOST_TEST(settle(first).ok());
  auto refused = rt->run(task::make("refused", "read_only", {{"calls", 1}}, "p", "llm"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().code() == static_cast<uint8_t>(errc::budget_exhausted));
  BOOST_TEST(sys.render(refused.error()).find("pool p") != std::string::npos);
  auto other = rt->submit(task::make("other", "read_only", {{"calls", 1}}, "q", "llm"));
  BOOST_TEST(settle(other).ok());
  BOOST_TEST(rt->stats().balanced());
}

BOOST_AUTO_TEST_SUITE_END()
