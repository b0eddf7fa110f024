// Walking a task down its fallback chain: each way it moves on, skips without a call, one
// attempt budget across tiers, parking until a probe within the deadline, served_by/degraded.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "herd/degradation/chain_planner.hpp"

using herd::chain_action;
using herd::chain_end;
using herd::chain_planner;
using herd::failure;
using herd::fallback_chain;
using herd::fallback_tier;

namespace {

herd::time_point at(int64_t ms) {
  return herd::from_epoch_ms(ms);
}

/// sonnet → haiku → rules → human unless told otherwise.
fallback_chain chain_of(std::vector<fallback_tier> tiers = {}) {
  fallback_chain result;
  result.tiers = tiers.empty() ? std::vector<fallback_tier>{fallback_tier::service("sonnet"),
                                                            fallback_tier::service("haiku"),
                                                            fallback_tier::rule("rules"),
                                                            fallback_tier::human()}
                               : std::move(tiers);
  return result;
}

herd::failure_policy policy(int32_t max_attempts = 5) {
  herd::failure_policy result;
  result.max_attempts = max_attempts;
  return result;
}

std::vector<chain_planner::availability> all_up(const chain_planner& p) {
  return std::vector<chain_planner::availability>(p.chain().tiers.size());
}

chain_planner::availability down_until(int64_t ms) {
  return chain_planner::availability{false, at(ms)};
}

/// What happened when a task was driven to its end: the calls per tier and the last step.
struct run {
  std::map<size_t, int> calls;
  int total = 0;
  herd::chain_step last;
};

/// Drives `p` at t = 1 s with every tier up; `answer(tier, call)` is the failure of a call, or
/// none for a success. Human tiers are hand-offs, not calls.
run drive(chain_planner& p, const std::function<std::optional<failure>(size_t, int)>& answer) {
  run result;
  for (int guard = 0; guard < 100; ++guard) {
    auto step = p.next(at(1000), all_up(p));
    result.last = step;
    if (step.action != chain_action::try_tier)
      break;
    if (p.chain().tiers[step.tier].kind == herd::tier_kind::human)
      continue;
    ++result.total;
    auto why = answer(step.tier, ++result.calls[step.tier]);
    if (why)
      p.on_failure(*why);
    else
      p.on_success();
  }
  return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(degradation_suite)

BOOST_AUTO_TEST_CASE(a_move_on_category_falls_to_the_next_tier_at_once) {
  for (auto why : {failure::unavailable("503"), failure::timeout("slow"),
                   failure::make(herd::failure_category::circuit_open, "open"),
                   failure::make(herd::failure_category::context_window, "too long"),
                   failure::make(herd::failure_category::content_policy, "refused"),
                   failure::rate_limited("429", herd::from_ms(60000))}) {
    chain_planner p{chain_of(), policy()};
    auto first = p.next(at(0), all_up(p));
    BOOST_TEST_REQUIRE((first.action == chain_action::try_tier));
    BOOST_TEST(first.tier == 0u);
    p.on_failure(why);
    auto second = p.next(at(10), all_up(p));
    BOOST_TEST_REQUIRE((second.action == chain_action::try_tier));
    BOOST_TEST(second.tier == 1u);
    BOOST_TEST(!second.retry); // a new tier goes at once, no backoff
    BOOST_TEST(second.why.find("failed with " + herd::to_string(why.category)) !=
               std::string::npos);
    p.on_success();
    BOOST_TEST(p.served_by() == "haiku");
    BOOST_TEST(p.degraded());
    BOOST_TEST(p.attempts_used() == 2);
  }
}

BOOST_AUTO_TEST_CASE(a_retried_failure_stays_on_its_tier_until_its_attempts_are_used) {
  chain_planner p{chain_of(), policy()};
  auto r = drive(p, [](size_t tier, int) -> std::optional<failure> {
    if (tier == 0)
      return failure::transient("reset");
    return std::nullopt;
  });
  BOOST_TEST(r.calls[0] == 2); // attempts_per_tier
  BOOST_TEST(r.calls[1] == 1);
  BOOST_TEST((r.last.action == chain_action::done));
  BOOST_TEST(p.served_by() == "haiku");
  // A short rate limit is retried on the tier, with the retry flag for the backoff.
  chain_planner q{chain_of(), policy()};
  q.next(at(0), all_up(q));
  q.on_failure(failure::rate_limited("429", herd::from_ms(2000)));
  auto again = q.next(at(2000), all_up(q));
  BOOST_TEST(again.tier == 0u);
  BOOST_TEST(again.retry);
}

BOOST_AUTO_TEST_CASE(a_failed_rule_moves_on_and_the_human_tier_takes_the_task) {
  chain_planner p{chain_of(), policy()};
  auto r = drive(p, [](size_t, int) -> std::optional<failure> { return failure::transient("no"); });
  BOOST_TEST(r.calls[0] == 2);
  BOOST_TEST(r.calls[1] == 2);
  BOOST_TEST(r.calls[2] == 1); // the fifth attempt: a rule is tried once
  BOOST_TEST(p.attempts_used() == 5);
  BOOST_TEST((r.last.action == chain_action::done));
  BOOST_TEST(p.served_by() == "human");
  BOOST_TEST(p.degraded());
  BOOST_TEST((p.next(at(2000), all_up(p)).action == chain_action::done));
}

BOOST_AUTO_TEST_CASE(an_unavailable_tier_is_skipped_without_a_call) {
  chain_planner p{chain_of(), policy()};
  auto tiers = all_up(p);
  tiers[0] = down_until(30000); // sonnet's breaker is open
  auto first = p.next(at(0), tiers);
  BOOST_TEST((first.action == chain_action::skip));
  BOOST_TEST(first.tier == 0u);
  BOOST_TEST(p.attempts_used() == 0);
  auto second = p.next(at(0), tiers);
  BOOST_TEST((second.action == chain_action::try_tier));
  BOOST_TEST(second.tier == 1u);
  p.on_success();
  BOOST_TEST(p.attempts_made_on(0) == 0);
  BOOST_TEST(p.attempts_used() == 1);
  BOOST_TEST(p.served_by() == "haiku");
  BOOST_TEST(p.degraded());
}

BOOST_AUTO_TEST_CASE(one_attempt_budget_across_every_tier) {
  // Whatever the chain and failures, a task never runs more attempts than its policy allows.
  for (int32_t max_attempts = 1; max_attempts <= 8; ++max_attempts) {
    for (int32_t per_tier = 1; per_tier <= 3; ++per_tier) {
      auto chain = chain_of(
          {fallback_tier::service("a"), fallback_tier::service("b"), fallback_tier::service("c")});
      chain.attempts_per_tier = per_tier;
      chain_planner p{chain, policy(max_attempts)};
      auto r = drive(
          p, [](size_t, int) -> std::optional<failure> { return failure::transient("reset"); });
      BOOST_TEST(r.total == std::min(max_attempts, 3 * per_tier));
      BOOST_TEST((r.last.action == chain_action::give_up));
      BOOST_TEST((r.last.end == (max_attempts < 3 * per_tier ? chain_end::budget_spent
                                                             : chain_end::chain_exhausted)));
      BOOST_TEST(p.served_by().empty());
    }
  }
  // Moving on never restarts the count: 3 attempts in all, the third on tier b.
  chain_planner p{chain_of(), policy(3)};
  auto r =
      drive(p, [](size_t, int) -> std::optional<failure> { return failure::unavailable("503"); });
  BOOST_TEST(r.total == 3);
  BOOST_TEST(r.calls[2] == 1);          // sonnet, haiku, the rule
  BOOST_TEST(p.served_by() == "human"); // a hand-off is not an attempt
}

BOOST_AUTO_TEST_CASE(every_tier_unavailable_parks_until_the_earliest_probe) {
  auto chain = chain_of({fallback_tier::service("a"), fallback_tier::service("b")});
  chain_planner p{chain, policy(), at(60000)};
  std::vector<chain_planner::availability> down = {down_until(30000), down_until(20000)};
  auto step = p.next(at(1000), down);
  BOOST_TEST_REQUIRE((step.action == chain_action::park));
  BOOST_TEST((step.until == at(20000)));
  BOOST_TEST(p.attempts_used() == 0);
  // Woken at the probe, the first tier is still preferred when it is back.
  auto woken = p.next(at(20000), all_up(p));
  BOOST_TEST((woken.action == chain_action::try_tier));
  BOOST_TEST(woken.tier == 0u);
}

BOOST_AUTO_TEST_CASE(parking_is_bounded_by_the_deadline) {
  auto chain = chain_of({fallback_tier::service("a"), fallback_tier::service("b")});
  std::vector<chain_planner::availability> down = {down_until(90000), down_until(70000)};
  chain_planner p{chain, policy(), at(60000)};
  auto step = p.next(at(1000), down);
  BOOST_TEST((step.action == chain_action::give_up));
  BOOST_TEST((step.end == chain_end::deadline));
  // Past the deadline nothing more is tried.
  chain_planner late{chain, policy(), at(60000)};
  auto after = late.next(at(60000), all_up(late));
  BOOST_TEST((after.end == chain_end::deadline));
  // A tier down for an unknown time is checked again after `recheck` (1 s).
  chain_planner unknown{chain, policy(), at(60000)};
  auto recheck =
      unknown.next(at(1000), {chain_planner::availability{false, {}}, down_until(70000)});
  BOOST_TEST((recheck.action == chain_action::park));
  BOOST_TEST((recheck.until == at(2000)));
  // A chain told not to park gives up instead.
  chain.park_when_unavailable = false;
  chain_planner no_park{chain, policy()};
  BOOST_TEST((no_park.next(at(1000), down).end == chain_end::unavailable));
}

BOOST_AUTO_TEST_CASE(a_failure_neither_moved_on_nor_retried_ends_the_chain) {
  chain_planner p{chain_of(), policy()};
  p.next(at(0), all_up(p));
  p.on_failure(failure::permanent("400 bad request"));
  auto step = p.next(at(10), all_up(p));
  BOOST_TEST((step.action == chain_action::give_up));
  BOOST_TEST((step.end == chain_end::not_retryable));
  BOOST_TEST(p.last_failure().message == "400 bad request");
  BOOST_TEST(p.attempts_used() == 1);
}

BOOST_AUTO_TEST_CASE(the_first_tier_serving_is_not_degraded) {
  chain_planner p{chain_of(), policy()};
  auto r = drive(p, [](size_t, int call) -> std::optional<failure> {
    if (call == 1)
      return failure::transient("reset");
    return std::nullopt;
  });
  BOOST_TEST(r.calls[0] == 2);
  BOOST_TEST(p.served_by() == "sonnet");
  BOOST_TEST(!p.degraded());
}

BOOST_AUTO_TEST_CASE(every_action_and_end_has_a_name) {
  for (auto x : {chain_action::try_tier, chain_action::skip, chain_action::park,
                 chain_action::give_up, chain_action::done})
    BOOST_TEST(herd::to_string(x) != "invalid");
  for (auto x : {chain_end::none, chain_end::budget_spent, chain_end::chain_exhausted,
                 chain_end::deadline, chain_end::not_retryable, chain_end::unavailable})
    BOOST_TEST(herd::to_string(x) != "invalid");
}

BOOST_AUTO_TEST_CASE(misuse_is_refused_loudly) {
  chain_planner p{chain_of(), policy()};
  BOOST_CHECK_THROW(p.next(at(0), {chain_planner::availability{}}), std::invalid_argument);
  BOOST_CHECK_THROW(p.on_failure(failure::transient("x")), std::logic_error); // nothing tried
  p.next(at(0), all_up(p));
  BOOST_CHECK_THROW(p.next(at(0), all_up(p)), std::logic_error); // the try has no result yet
  BOOST_CHECK_THROW((chain_planner{fallback_chain{}, policy()}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
