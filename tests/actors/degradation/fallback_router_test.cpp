// A task's place on its fallback chain travels with the task: the planner rebuilt from the
// task's history and route decides as the one that made the earlier steps would; placing a
// task on a tier sets its service, parameters and pool.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "herd/degradation/fallback_router.hpp"

using namespace herd;

namespace {

fallback_chain chain_of_three() {
  fallback_chain result;
  result.tiers = {fallback_tier::service("sonnet"),
                  fallback_tier::service("haiku", {{"model", "haiku"}}),
                  fallback_tier::rule("rules"), fallback_tier::human()};
  result.attempts_per_tier = 2;
  return result;
}

failure_policy policy_of(int32_t max_attempts) {
  failure_policy result;
  result.max_attempts = max_attempts;
  return result;
}

/// `t` failed attempt `number` on `tier` with `why`.
void failed(task& t, int32_t number, const std::string& tier, failure why) {
  t.history.push_back(attempt_record{number, time_point{}, "a", std::move(why), tier});
  t.attempt = number;
  t.route.tier = tier;
}

std::vector<chain_planner::availability> all_available(size_t n = 4) {
  return std::vector<chain_planner::availability>(n);
}

} // namespace

BOOST_AUTO_TEST_SUITE(degradation_suite)

BOOST_AUTO_TEST_CASE(a_rebuilt_planner_counts_each_tiers_attempts_from_the_history) {
  auto chain = chain_of_three();
  auto t = task::make("t", "triage", nullptr, "p");
  failed(t, 1, "sonnet", failure::transient("a"));
  auto planner = fallback_router::planner_for(chain, policy_of(5), t, 0, true);
  planner.on_failure(t.last_failure());
  auto step = planner.next(time_point{}, all_available());
  // One attempt of two on sonnet: the retry stays there, after the backoff.
  BOOST_TEST((step.action == chain_action::try_tier));
  BOOST_TEST(step.tier == 0u);
  BOOST_TEST(step.retry);
  BOOST_TEST(planner.attempts_used() == 2);
  failed(t, 2, "sonnet", failure::transient("b"));
  planner = fallback_router::planner_for(chain, policy_of(5), t, 0, true);
  planner.on_failure(t.last_failure());
  step = planner.next(time_point{}, all_available());
  BOOST_TEST(step.tier == 1u); // sonnet's two attempts are used: haiku at once
  BOOST_TEST(!step.retry);
  BOOST_TEST(planner.attempts_used() == 3);
}

BOOST_AUTO_TEST_CASE(the_budget_counts_every_tier_of_the_current_run) {
  auto chain = chain_of_three();
  auto t = task::make("t", "triage", nullptr, "p");
  failed(t, 1, "sonnet", failure::unavailable("a"));
  failed(t, 2, "haiku", failure::transient("b"));
  auto planner = fallback_router::planner_for(chain, policy_of(2), t, 1, true);
  planner.on_failure(t.last_failure());
  auto step = planner.next(time_point{}, all_available());
  // Out of attempts: only the human tier (a hand-off, not an attempt) is left.
  BOOST_TEST((step.action == chain_action::try_tier));
  BOOST_TEST(step.tier == 3u);
  // A replay starts a new run at attempt 1: the old entries no longer count.
  failed(t, 1, "sonnet", failure::transient("c"));
  planner = fallback_router::planner_for(chain, policy_of(2), t, 0, true);
  BOOST_TEST(planner.attempts_used() == 1);
  // A task just entering (fresh) has made no attempt in its run.
  planner = fallback_router::planner_for(chain, policy_of(2), t, 0, false, true);
  BOOST_TEST(planner.attempts_used() == 0);
}

BOOST_AUTO_TEST_CASE(a_run_made_no_call_while_every_attempt_was_refused_before_the_call) {
  auto t = task::make("t", "triage", nullptr, "p");
  BOOST_TEST(fallback_router::made_no_call(t)); // not tried yet
  failed(t, 1, "sonnet", failure::make(failure_category::circuit_open, "breaker open"));
  auto refused = failure::rate_limited("admission queue full", duration{0});
  refused.reason = "admission_queue_full";
  failed(t, 2, "haiku", refused);
  BOOST_TEST(fallback_router::made_no_call(t)); // an open breaker and admission: no call
  failed(t, 3, "haiku", failure::transient("reset"));
  BOOST_TEST(!fallback_router::made_no_call(t)); // a call reached the service
  // A replay starts a new run at attempt 1: only its entries count.
  failed(t, 1, "sonnet", failure::make(failure_category::circuit_open, "breaker open"));
  BOOST_TEST(fallback_router::run_start(t) == 3u);
  BOOST_TEST(fallback_router::made_no_call(t));
}

BOOST_AUTO_TEST_CASE(placing_a_task_sets_its_service_params_and_pool) {
  auto chain = chain_of_three();
  auto t = task::make("t", "triage", nullptr, "p");
  fallback_router::place(t, chain, 1);
  BOOST_TEST(t.service == "haiku");
  BOOST_TEST(t.route.tier == "haiku");
  BOOST_TEST(nlohmann::json::parse(t.route.params) == (nlohmann::json{{"model", "haiku"}}));
  BOOST_TEST(t.pool == "p");
  fallback_router::place(t, chain, 2);
  BOOST_TEST(t.pool == "rules");
  BOOST_TEST(t.route.home_pool == "p");
  BOOST_TEST(t.route.params.empty());
  BOOST_TEST(t.service.empty());
  BOOST_TEST(fallback_router::position_of(chain, t) == 2u);
  fallback_router::place(t, chain, 0);
  BOOST_TEST(t.pool == "p");
  BOOST_TEST(t.route.home_pool.empty());
  BOOST_TEST(t.route.params.empty());
  fallback_router::place(t, chain, 2);
  fallback_router::leave(t);
  BOOST_TEST(t.pool == "p");
  BOOST_TEST(!t.route.on_chain());
}

BOOST_AUTO_TEST_CASE(the_chain_deadline_is_the_earlier_of_the_tasks_and_the_policys) {
  auto t = task::make("t", "triage");
  t.created = from_epoch_ms(1000);
  auto policy = policy_of(3);
  BOOST_TEST((fallback_router::deadline_of(t, policy) == time_point{}));
  policy.retry_deadline = from_ms(5000);
  BOOST_TEST((fallback_router::deadline_of(t, policy) == from_epoch_ms(6000)));
  t.deadline = from_epoch_ms(3000);
  BOOST_TEST((fallback_router::deadline_of(t, policy) == from_epoch_ms(3000)));
}

BOOST_AUTO_TEST_CASE(resume_refuses_a_wrong_count_or_position) {
  chain_planner planner{chain_of_three(), policy_of(3)};
  BOOST_CHECK_THROW(planner.resume({0, 0}, 0, false), std::invalid_argument);
  BOOST_CHECK_THROW(planner.resume({0, 0, 0, 0}, 4, false), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
