// The retry scheduler's lanes without an actor system: the time is an argument, a test
// driver fires the timer the lanes ask for and records what they release and end.
#include <boost/test/unit_test.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/retry/retry_lanes.hpp"

using herd::breaker_state;
using herd::from_ms;

namespace {

herd::failure_policy fixed(int64_t ms, int32_t max_attempts = 5) {
  herd::failure_policy p;
  p.max_attempts = max_attempts;
  p.backoff = {herd::backoff_kind::fixed, from_ms(ms), 1.0, from_ms(ms)};
  return p;
}

/// No budget and no pacing: only the timer queue and the policies act.
herd::retry_scheduler_config unthrottled() {
  herd::retry_scheduler_config c;
  c.budget_enabled = false;
  c.pacing_enabled = false;
  return c;
}

/// A budget of 4 tokens that never refills by itself (retries stop at 2 tokens or fewer), no
/// pacing.
herd::retry_scheduler_config small_budget() {
  auto c = unthrottled();
  c.budget_enabled = true;
  c.budget.max_tokens = 4;
  c.budget.min_retries_per_s = 0;
  return c;
}

/// Pacing at a constant 2 releases per second (one every 500 ms), no budget.
herd::retry_scheduler_config paced() {
  auto c = unthrottled();
  c.pacing_enabled = true;
  c.pacing.initial_rate = 2;
  c.pacing.min_rate = 2;
  c.pacing.max_rate = 2;
  c.pacing.increase_per_s = 0;
  return c;
}

/// Drives a `retry_lanes` in explicit time: fires the timer it arms, records its actions.
struct lanes_fixture {
  herd::time_point t0 = herd::from_epoch_ms(1000000);
  herd::time_point now = t0;
  std::optional<herd::retry_lanes> lanes;
  std::optional<std::pair<herd::time_point, uint64_t>> timer;
  /// Released retries with their release time in ms after t0.
  std::vector<std::pair<int64_t, herd::task>> released;
  std::vector<std::pair<herd::task, herd::retry_decision>> ended;

  void start(herd::retry_scheduler_config config) {
    std::map<std::string, herd::failure_policy> policies{{"default", fixed(2000)}};
    policies["once"] = fixed(2000, 1);
    policies["once"].on_exhausted = herd::terminal_action::escalate;
    lanes.emplace(config, std::move(policies), nullptr);
  }

  int64_t ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now - t0).count();
  }

  void collect() {
    auto& todo = lanes->actions();
    for (auto& t : todo.resubmit)
      released.emplace_back(ms(), std::move(t));
    for (auto& x : todo.ended)
      ended.push_back(std::move(x));
    if (todo.timer)
      timer = std::make_pair(now + *todo.timer, lanes->generation());
    todo.clear();
  }

  /// Moves the time forward by `ms`, firing every timer due on the way at its time.
  void advance(int64_t by_ms) {
    auto end = now + from_ms(by_ms);
    while (timer && timer->first <= end) {
      now = timer->first;
      auto generation = timer->second;
      timer.reset();
      lanes->tick(generation, now);
      collect();
    }
    now = end;
  }

  void fail(const std::string& id, const std::string& service = "llm",
            const std::string& kind = "default",
            herd::failure why = herd::failure::transient("boom")) {
    auto t = herd::task::make(id, kind);
    t.service = service;
    t.created = now;
    t.attempt = 1;
    why.from(service, 0);
    t.history.push_back(herd::attempt_record{1, now, "agent-" + id, why});
    lanes->attempt_failed(std::move(t), now);
    collect();
  }

  void breaker(breaker_state from, breaker_state to, const std::string& service = "llm") {
    herd::breaker_transition x;
    x.key = service;
    x.service = service;
    x.from = from;
    x.to = to;
    x.at = now;
    lanes->transition(x, now);
    collect();
  }

  /// Lanes with the chain "triage": llm, then backup (recheck 1 s); both services known.
  void start_chained() {
    std::map<std::string, herd::failure_policy> policies{{"default", fixed(2000)}};
    herd::fallback_config fallbacks;
    herd::fallback_chain chain;
    chain.tiers = {herd::fallback_tier::service("llm"), herd::fallback_tier::service("backup")};
    fallbacks.chains["triage"] = chain;
    lanes.emplace(unthrottled(), std::move(policies), nullptr, "default", fallbacks);
    lanes->know_service("llm");
    lanes->know_service("backup");
  }

  void route(const std::string& id) {
    auto t = herd::task::make(id, "triage", nullptr, "p");
    t.created = now;
    lanes->route(std::move(t), now);
    collect();
  }

  std::vector<std::string> released_ids() const {
    std::vector<std::string> ids;
    for (auto& [_, t] : released)
      ids.push_back(t.id);
    return ids;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(retry_lanes, lanes_fixture)

BOOST_AUTO_TEST_CASE(a_retry_due_later_is_not_released_early) {
  start(unthrottled());
  fail("a");
  advance(500);
  fail("b");
  advance(1499);
  BOOST_TEST(released.empty());
  BOOST_TEST(lanes->pending() == 2u);
  advance(1);
  BOOST_TEST_REQUIRE(released.size() == 1u);
  BOOST_TEST(released[0].first == 2000);
  BOOST_TEST(released[0].second.id == "a");
  BOOST_TEST(released[0].second.attempt == 2);
  advance(499);
  BOOST_TEST(released.size() == 1u);
  advance(1);
  BOOST_TEST_REQUIRE(released.size() == 2u);
  BOOST_TEST(released[1].first == 2500);
  BOOST_TEST(released[1].second.id == "b");
  BOOST_TEST(lanes->pending() == 0u);
  BOOST_TEST(!timer.has_value());
}

BOOST_AUTO_TEST_CASE(retries_held_while_the_breaker_is_open_go_at_the_pacers_rate_after_it_closes) {
  start(paced());
  breaker(breaker_state::closed, breaker_state::open);
  for (auto id : {"a", "b", "c", "d", "e"})
    fail(id);
  advance(10000);
  BOOST_TEST(released.empty());
  BOOST_TEST(lanes->held("llm") == 5u);
  BOOST_TEST(lanes->held() == 5u);
  breaker(breaker_state::open, breaker_state::half_open);
  // A restarted pacer has one token: one goes at once, the rest one per 500 ms, in order.
  BOOST_TEST_REQUIRE(released.size() == 1u);
  BOOST_TEST(released[0].first == 10000);
  breaker(breaker_state::half_open, breaker_state::closed);
  advance(5000);
  BOOST_TEST_REQUIRE(released.size() == 5u);
  BOOST_TEST((released_ids() == std::vector<std::string>{"a", "b", "c", "d", "e"}));
  for (size_t i = 1; i < released.size(); ++i)
    BOOST_TEST(released[i].first - released[i - 1].first >= 500);
  BOOST_TEST(released.back().first == 12000);
  BOOST_TEST(lanes->held() == 0u);
  BOOST_TEST(lanes->pending() == 0u);
  BOOST_TEST(ended.empty());
}

BOOST_AUTO_TEST_CASE(a_breaker_opening_again_holds_what_is_left) {
  start(paced());
  breaker(breaker_state::closed, breaker_state::open);
  for (auto id : {"a", "b", "c"})
    fail(id);
  advance(3000);
  breaker(breaker_state::open, breaker_state::closed);
  BOOST_TEST(released.size() == 1u);
  breaker(breaker_state::closed, breaker_state::open);
  advance(5000);
  BOOST_TEST(released.size() == 1u);
  BOOST_TEST(lanes->held("llm") == 2u);
  BOOST_TEST((lanes->breaker("llm") == breaker_state::open));
}

BOOST_AUTO_TEST_CASE(lanes_of_two_services_are_independent) {
  start(paced());
  breaker(breaker_state::closed, breaker_state::open, "llm");
  fail("l1", "llm");
  fail("l2", "llm");
  fail("s1", "search");
  fail("s2", "search");
  advance(2000);
  // search has its own pacer with a full bucket; llm's breaker holds only llm's retries.
  BOOST_TEST((released_ids() == std::vector<std::string>{"s1", "s2"}));
  BOOST_TEST(lanes->held("llm") == 2u);
  BOOST_TEST(lanes->held("search") == 0u);
  BOOST_TEST((lanes->breaker("search") == breaker_state::closed));
  breaker(breaker_state::open, breaker_state::closed, "llm");
  advance(1000);
  BOOST_TEST((released_ids() == std::vector<std::string>{"s1", "s2", "l1", "l2"}));
}

BOOST_AUTO_TEST_CASE(a_per_agent_breaker_holds_nothing) {
  start(unthrottled());
  herd::breaker_transition x;
  x.key = "agent-1/llm";
  x.service = "llm";
  x.to = breaker_state::open;
  BOOST_TEST(!herd::retry_lanes::applies(x));
  lanes->transition(x, now);
  collect();
  fail("a");
  advance(2000);
  BOOST_TEST(released.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_spent_budget_dead_letters_when_the_config_says_so) {
  auto config = small_budget();
  config.on_budget_exhausted = herd::budget_action::dead_letter;
  start(config);
  fail("a");
  fail("b");
  fail("c");
  advance(2000);
  BOOST_TEST(released.empty());
  BOOST_TEST_REQUIRE(ended.size() == 3u);
  for (auto& [t, verdict] : ended) {
    BOOST_TEST((verdict.action == herd::retry_action::dead_letter));
    BOOST_TEST((verdict.reason == herd::dead_letter_reason::budget_exhausted));
    BOOST_TEST(verdict.why.find("retry budget of service \"llm\"") != std::string::npos);
  }
  BOOST_TEST(lanes->pending() == 0u);
}

BOOST_AUTO_TEST_CASE(non_retryable_failures_cost_no_budget) {
  auto config = small_budget();
  config.on_budget_exhausted = herd::budget_action::dead_letter;
  start(config);
  // Bad requests say nothing about the service's health: they end, and cost nothing.
  for (auto id : {"bad-1", "bad-2", "bad-3"})
    fail(id, "llm", "default", herd::failure::permanent("400 invalid address"));
  BOOST_TEST(ended.size() == 3u);
  fail("flaky");
  advance(2000);
  BOOST_TEST((released_ids() == std::vector<std::string>{"flaky"}));
  BOOST_TEST(ended.size() == 3u);
}

BOOST_AUTO_TEST_CASE(with_the_defaults_a_service_failing_30_percent_is_retried_at_full_speed) {
  start(herd::retry_scheduler_config{});
  // 300 calls, 3 in every 10 fail: the default budget (a success refunds 0.5 tokens) keeps up,
  // and the pacer starts at 100/s, so the 90 retries due together go within a second.
  for (int i = 0; i < 300; ++i) {
    if (i % 10 < 3) {
      fail("t" + std::to_string(i));
    } else {
      lanes->observe("llm", 1, 0, now);
      collect();
    }
  }
  advance(2000 + 1000);
  BOOST_TEST(released.size() == 90u);
  BOOST_TEST(ended.empty());
  BOOST_TEST(lanes->held("llm") == 0u);
}

BOOST_AUTO_TEST_CASE(a_success_observed_for_a_service_refunds_its_budget) {
  auto config = small_budget();
  config.budget.token_ratio = 1;
  start(config);
  fail("a");
  fail("b");
  // Two tokens left: no retry may go until the service proves it answers.
  advance(2000);
  BOOST_TEST(released.empty());
  lanes->observe("llm", 1, 0, now);
  collect();
  BOOST_TEST((released_ids() == std::vector<std::string>{"a", "b"}));
}

BOOST_AUTO_TEST_CASE(a_spent_budget_holds_retries_when_the_config_says_wait) {
  start(small_budget());
  fail("a");
  fail("b");
  fail("c");
  advance(5000);
  BOOST_TEST(released.empty());
  BOOST_TEST(ended.empty());
  BOOST_TEST(lanes->held("llm") == 3u);
  // A closing breaker refills the budget.
  breaker(breaker_state::closed, breaker_state::closed);
  BOOST_TEST((released_ids() == std::vector<std::string>{"a", "b", "c"}));
}

BOOST_AUTO_TEST_CASE(an_exhausted_task_goes_where_its_policy_says) {
  start(unthrottled());
  fail("a", "llm", "once");
  BOOST_TEST_REQUIRE(ended.size() == 1u);
  BOOST_TEST(ended[0].first.id == "a");
  BOOST_TEST((ended[0].second.action == herd::retry_action::escalate));
  fail("b", "llm", "default");
  BOOST_TEST(ended.size() == 1u);
  BOOST_TEST(lanes->pending() == 1u);
}

BOOST_AUTO_TEST_CASE(max_pending_dead_letters_the_overflow) {
  auto config = unthrottled();
  config.max_pending = 1;
  start(config);
  fail("a");
  fail("b");
  BOOST_TEST_REQUIRE(ended.size() == 1u);
  BOOST_TEST(ended[0].first.id == "b");
  BOOST_TEST((ended[0].second.reason == herd::dead_letter_reason::budget_exhausted));
}

BOOST_AUTO_TEST_CASE(hand_back_returns_every_pending_retry_sorted_and_forgets_it) {
  start(paced());
  breaker(breaker_state::closed, breaker_state::open);
  fail("c");
  fail("a");
  advance(3000);
  fail("b");
  auto back = lanes->hand_back();
  std::vector<std::string> ids;
  for (auto& t : back)
    ids.push_back(t.id);
  BOOST_TEST((ids == std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST(lanes->pending() == 0u);
  BOOST_TEST(lanes->held() == 0u);
  breaker(breaker_state::open, breaker_state::closed);
  advance(5000);
  BOOST_TEST(released.empty());
}

BOOST_AUTO_TEST_CASE(a_chained_task_parks_while_every_tier_is_forced_open) {
  start_chained();
  breaker(breaker_state::closed, breaker_state::forced_open, "llm");
  breaker(breaker_state::closed, breaker_state::forced_open, "backup");
  route("t");
  BOOST_TEST(lanes->parked() == 1u);
  // No probe time is known (forced open): the task looks again every recheck (1 s).
  advance(1000);
  BOOST_TEST(lanes->parked() == 1u);
  BOOST_TEST(released.empty());
  BOOST_TEST(ended.empty());
  breaker(breaker_state::forced_open, breaker_state::closed, "backup");
  BOOST_TEST(lanes->parked() == 0u);
  BOOST_REQUIRE(released.size() == 1u);
  auto& t = released[0].second;
  BOOST_TEST(t.route.tier == "backup");
  BOOST_TEST(t.service == "backup");
  BOOST_TEST(t.attempt == 1);
}

BOOST_AUTO_TEST_CASE(a_full_admission_queue_skips_its_tier_and_costs_no_attempt) {
  start_chained();
  auto t = herd::task::make("t", "triage", nullptr, "p");
  t.created = now;
  t.service = "llm";
  t.route.tier = "llm";
  auto why = herd::failure::rate_limited("admission queue of llm is full", from_ms(200))
                 .because("admission_queue_full");
  why.from("llm", 0);
  t.history.push_back(herd::attempt_record{1, now, "agent-t", why, "llm"});
  lanes->attempt_failed(std::move(t), now);
  collect();
  BOOST_REQUIRE(released.size() == 1u);
  BOOST_TEST(released[0].first == 0); // at once, not after the policy's 2 s backoff
  BOOST_TEST(released[0].second.route.tier == "backup");
  BOOST_TEST(released[0].second.attempt == 1); // the refused call was never made
}

BOOST_AUTO_TEST_CASE(a_shutdown_hands_back_parked_tasks) {
  start_chained();
  breaker(breaker_state::closed, breaker_state::forced_open, "llm");
  breaker(breaker_state::closed, breaker_state::forced_open, "backup");
  route("t");
  auto back = lanes->hand_back();
  BOOST_REQUIRE(back.size() == 1u);
  BOOST_TEST(back[0].id == "t");
  BOOST_TEST(lanes->parked() == 0u);
  advance(5000); // its timer finds nothing
  BOOST_TEST(released.empty());
}

BOOST_AUTO_TEST_SUITE_END()
