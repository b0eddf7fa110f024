// Fallback chains wired into the runtime (#15), in virtual time: a task of a kind with a chain
// is routed by the retry scheduler, which moves it down its tiers (service tiers with their own
// parameters, rule tiers in their pool, a human tier through the escalation queue), skips an
// open breaker without a call, parks while every tier is unavailable, keeps ONE attempt budget
// across tiers, and the outcome says which tier served it.
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/scripted_service.hpp"
#include "ask.hpp"
#include "herd/breakers/protocol.hpp"
#include "herd/dispatch/agent.hpp"
#include "herd/runtime/runtime.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace herd::test;

namespace {

/// What a test service does: the failures its next calls answer (then it succeeds), and the
/// requests it received.
struct service_log {
  std::deque<failure> failures;
  std::vector<nlohmann::json> requests;
  int calls() const { return static_cast<int>(requests.size()); }
};

/// A downstream service answering `(call_atom, request)` as its log says.
caf::behavior tier_service(caf::event_based_actor*, std::string name,
                           std::shared_ptr<service_log> log) {
  return {
      [name, log](call_atom, const std::string& request) {
        log->requests.push_back(nlohmann::json::parse(request));
        if (!log->failures.empty()) {
          auto why = log->failures.front();
          log->failures.pop_front();
          why.service = name;
          return outcome::fail(why);
        }
        return outcome::success({{"by", name}});
      },
      [name, log](call_atom, const std::string& request, time_point) {
        log->requests.push_back(nlohmann::json::parse(request));
        return outcome::success({{"by", name}});
      },
  };
}

/// An agent of a chained kind, as engineer A's `agent::call` will do it: calls the breaker of
/// `t.service` with the payload and `t.route.params` merged in (JSON merge-patch).
class tier_agent : public agent {
public:
  tier_agent(caf::actor_config& cfg, caf::actor breakers) : agent(cfg), breakers_(breakers) {}

protected:
  void handle_async(const task& t, task_completion done) override {
    auto body = t.payload_json();
    if (!t.route.params.empty())
      body.merge_patch(nlohmann::json::parse(t.route.params));
    auto request_text = body.dump();
    auto service = t.service;
    this->request(breakers_, caf::infinite, caf::get_atom::value, service)
        .then(
            [this, done, request_text](caf::actor& breaker) {
              this->request(breaker, caf::infinite, call_atom::value, request_text)
                  .then([done](outcome& result) { done.finish(std::move(result)); },
                        [done](caf::error&) { done.fail(failure::unavailable("no answer")); });
            },
            [done, service](caf::error&) {
              done.fail(failure::unavailable("no breaker for " + service));
            });
  }

private:
  caf::actor breakers_;
};

struct fallback_fixture : virtual_time_fixture {
  runtime_config config;
  std::unique_ptr<herd::runtime> rt;
  std::map<std::string, std::shared_ptr<service_log>> logs;

  fallback_fixture() {
    config.log_level = "off";
    auto policy = failure_policy::preset("default");
    policy.max_attempts = 5;
    config.policies["triage"] = policy;
    config.breakers.defaults.open_duration = from_ms(5000);
    config.breakers.defaults.open_jitter = 0;
    fallback_chain chain;
    chain.tiers = {fallback_tier::service("primary"),
                   fallback_tier::service("backup", {{"model", "small"}})};
    config.fallbacks.chains["triage"] = chain;
  }

  ~fallback_fixture() {
    if (rt) {
      BOOST_TEST(rt->stats().balanced());
      rt.reset();
    }
    vt.run();
  }

  fallback_chain& chain() { return config.fallbacks.chains["triage"]; }

  /// Starts the runtime with the services `names` and two agents in pool "p".
  void start(std::vector<std::string> names = {"primary", "backup"}) {
    rt = std::make_unique<herd::runtime>(sys, config);
    for (auto& name : names)
      add(name);
    rt->spawn_pool<tier_agent>("p", 2, rt->breakers());
    vt.run();
  }

  void add(const std::string& name) {
    auto log = std::make_shared<service_log>();
    logs[name] = log;
    rt->add_service(name, sys.spawn(tier_service, name, log));
    vt.run();
  }

  service_log& log(const std::string& name) { return *logs.at(name); }

  std::future<caf::expected<outcome>> submit(const std::string& id,
                                             nlohmann::json payload = {{"text", "hi"}},
                                             time_point deadline = {}) {
    auto t = task::make(id, "triage", std::move(payload), "p");
    t.deadline = deadline;
    return rt->submit(std::move(t));
  }

  static bool ready(std::future<caf::expected<outcome>>& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }

  /// The outcome of `f` after running for `d` of virtual time.
  outcome finish(std::future<caf::expected<outcome>>& f, duration d = from_ms(60000)) {
    vt.run();
    vt.advance(d);
    BOOST_REQUIRE(ready(f));
    auto result = f.get();
    BOOST_REQUIRE(result);
    return *result;
  }

  void move_breaker(const std::string& service, breaker_state to) {
    auto breaker = rt->breaker_for(service);
    BOOST_REQUIRE(breaker);
    auto status = detail::ask<breaker_status>(sys, caf::actor_cast<circuit_breaker_actor>(*breaker),
                                              caf::infinite, transition_atom::value, to);
    BOOST_REQUIRE(status);
    vt.run();
  }

  double metric(const std::string& name, const metric_labels& labels) {
    return rt->metrics().total(name, labels);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_fallback, fallback_fixture)

BOOST_AUTO_TEST_CASE(the_first_tier_serves_and_the_outcome_says_so) {
  start();
  auto f = submit("t1");
  auto result = finish(f);
  BOOST_TEST(result.ok());
  BOOST_TEST(result.served_by == "primary");
  BOOST_TEST(!result.degraded);
  BOOST_TEST(result.attempt == 1);
  BOOST_TEST(log("primary").calls() == 1);
  BOOST_TEST(log("backup").calls() == 0);
  BOOST_TEST(metric("herd_fallback_served_total", {{"kind", "triage"}, {"tier", "primary"}}) == 1);
  BOOST_TEST(metric("herd_fallback_degraded_total", {{"kind", "triage"}}) == 0);
  // A second submit of the completed id gets the recorded outcome, tier included.
  auto again = submit("t1");
  auto known = finish(again, from_ms(1));
  BOOST_TEST(known.served_by == "primary");
  BOOST_TEST(log("primary").calls() == 1);
}

BOOST_AUTO_TEST_CASE(a_retry_whose_breaker_opened_meanwhile_skips_its_tier) {
  start();
  log("primary").failures = {failure::transient("a")};
  auto f = submit("t1");
  vt.run(); // attempt 1 failed; its retry on primary waits for the backoff
  BOOST_TEST(!ready(f));
  move_breaker("primary", breaker_state::open);
  auto result = finish(f, from_ms(2000));
  BOOST_TEST(result.served_by == "backup");
  BOOST_TEST(result.attempt == 2);
  BOOST_TEST(log("primary").calls() == 1);
  BOOST_TEST(metric("herd_fallback_skips_total", {{"kind", "triage"}, {"tier", "primary"}}) == 1);
}

BOOST_AUTO_TEST_CASE(a_move_on_failure_falls_to_the_next_tier_with_its_params_at_once) {
  start();
  log("primary").failures.push_back(failure::unavailable("down"));
  auto f = submit("t1");
  auto result = finish(f, from_ms(1)); // a new tier goes at once: no backoff
  BOOST_TEST(result.ok());
  BOOST_TEST(result.served_by == "backup");
  BOOST_TEST(result.degraded);
  BOOST_TEST(result.attempt == 2);
  BOOST_TEST(log("primary").calls() == 1);
  BOOST_REQUIRE(log("backup").calls() == 1);
  BOOST_TEST(log("backup").requests[0] == (nlohmann::json{{"text", "hi"}, {"model", "small"}}));
  BOOST_TEST(log("primary").requests[0] == (nlohmann::json{{"text", "hi"}}));
  BOOST_TEST(metric("herd_fallback_degraded_total", {{"kind", "triage"}}) == 1);
}

BOOST_AUTO_TEST_CASE(a_long_rate_limit_moves_on_and_a_short_one_retries_the_tier) {
  start();
  log("primary").failures.push_back(failure::rate_limited("slow down", from_ms(30000)));
  auto moved = submit("long");
  auto result = finish(moved, from_ms(1));
  BOOST_TEST(result.served_by == "backup");
  log("primary").failures.push_back(failure::rate_limited("slow down", from_ms(1000)));
  auto retried = submit("short");
  result = finish(retried, from_ms(5000));
  BOOST_TEST(result.ok());
  BOOST_TEST(result.served_by == "primary");
  BOOST_TEST(!result.degraded);
  BOOST_TEST(log("primary").calls() == 3);
  BOOST_TEST(log("backup").calls() == 1);
}

BOOST_AUTO_TEST_CASE(a_tier_whose_attempts_are_used_moves_on) {
  chain().attempts_per_tier = 2;
  start();
  log("primary").failures = {failure::transient("a"), failure::transient("b")};
  auto f = submit("t1");
  auto result = finish(f);
  BOOST_TEST(result.served_by == "backup");
  BOOST_TEST(result.attempt == 3);
  BOOST_TEST(log("primary").calls() == 2);
  BOOST_TEST(log("backup").calls() == 1);
}

BOOST_AUTO_TEST_CASE(an_open_breaker_skips_its_tier_without_a_call) {
  start();
  move_breaker("primary", breaker_state::open);
  auto f = submit("t1");
  auto result = finish(f, from_ms(1));
  BOOST_TEST(result.ok());
  BOOST_TEST(result.served_by == "backup");
  BOOST_TEST(result.degraded);
  BOOST_TEST(result.attempt == 1); // the skip is not an attempt
  BOOST_TEST(log("primary").calls() == 0);
  BOOST_TEST(metric("herd_fallback_skips_total", {{"kind", "triage"}, {"tier", "primary"}}) == 1);
}

BOOST_AUTO_TEST_CASE(queued_tasks_that_skipped_a_tier_go_back_to_it_when_its_breaker_closes) {
  start({"primary"});
  auto backup = std::make_shared<service_script>();
  backup->mode = "hang"; // keeps both agents busy, so later tasks wait in the queue
  auto hung = sys.spawn<scripted_service>(backup);
  rt->add_service("backup", hung);
  vt.run();
  move_breaker("primary", breaker_state::open);
  std::vector<std::future<caf::expected<outcome>>> futures;
  for (int i = 0; i < 5; ++i)
    futures.push_back(submit("t" + std::to_string(i)));
  vt.run();
  BOOST_TEST(rt->stats().leased == 2u);
  BOOST_TEST(rt->stats().queued == 3u); // they wait for an agent, placed on backup
  move_breaker("primary", breaker_state::closed);
  // The three that never tried backup are placed anew: primary takes calls again.
  backup->mode = "ok";
  caf::anon_send(hung, caf::put_atom::value, std::string{"ok"});
  vt.run();
  std::map<std::string, int> served;
  for (auto& f : futures) {
    BOOST_REQUIRE(ready(f));
    auto result = f.get();
    BOOST_REQUIRE(result);
    BOOST_TEST(result->ok());
    ++served[result->served_by];
  }
  BOOST_TEST(served["backup"] == 2);
  BOOST_TEST(served["primary"] == 3);
  BOOST_TEST(log("primary").calls() == 3);
  BOOST_TEST(backup->calls == 2);
  BOOST_TEST(metric("herd_fallback_rerouted_total", {{"kind", "triage"}, {"tier", "backup"}}) == 3);
}

BOOST_AUTO_TEST_CASE(one_attempt_budget_spans_every_tier) {
  config.policies["triage"].max_attempts = 3;
  chain().attempts_per_tier = 2;
  chain().tiers.push_back(fallback_tier::service("third"));
  start({"primary", "backup", "third"});
  for (auto name : {"primary", "backup", "third"})
    log(name).failures = {failure::transient("x"), failure::transient("y")};
  auto f = submit("t1");
  auto result = finish(f);
  // No dead-letter queue: the chain's give-up ends the task as failed, naming the budget.
  BOOST_TEST((result.status == outcome_status::failed));
  BOOST_TEST(result.error.message.find("budget_spent") != std::string::npos);
  BOOST_TEST(log("primary").calls() + log("backup").calls() + log("third").calls() == 3);
  BOOST_TEST(log("third").calls() == 0);
  BOOST_TEST(result.served_by.empty());
  BOOST_TEST(
      metric("herd_fallback_gave_up_total", {{"kind", "triage"}, {"reason", "budget_spent"}}) == 1);
}

BOOST_AUTO_TEST_CASE(every_tier_unavailable_parks_until_the_first_probe) {
  start();
  move_breaker("primary", breaker_state::open);
  vt.advance(from_ms(1000));
  move_breaker("backup", breaker_state::open); // its probe comes 1 s after primary's
  auto f = submit("t1");
  vt.run();
  BOOST_TEST(metric("herd_fallback_parks_total", {{"kind", "triage"}}) == 1);
  vt.advance(from_ms(3900));
  BOOST_TEST(!ready(f));
  BOOST_TEST(log("primary").calls() == 0);
  auto result = finish(f, from_ms(200)); // primary's probe is due 5 s after it opened
  BOOST_TEST(result.ok());
  BOOST_TEST(result.served_by == "primary");
  BOOST_TEST(log("primary").calls() == 1);
  BOOST_TEST(log("backup").calls() == 0);
}

BOOST_AUTO_TEST_CASE(a_park_past_the_deadline_gives_up_at_once) {
  config.breakers.defaults.open_duration = from_ms(60000);
  start();
  move_breaker("primary", breaker_state::open);
  move_breaker("backup", breaker_state::open);
  auto f = submit("t1", {{"text", "hi"}}, vt.now() + from_ms(2000));
  auto result = finish(f, from_ms(1));
  BOOST_TEST((result.status == outcome_status::failed));
  BOOST_TEST(result.error.message.find("deadline") != std::string::npos);
  BOOST_TEST(log("primary").calls() + log("backup").calls() == 0);
  BOOST_TEST(metric("herd_fallback_parks_total", {{"kind", "triage"}}) == 0);
}

BOOST_AUTO_TEST_CASE(a_rule_tier_serves_in_its_pool) {
  chain().tiers.push_back(fallback_tier::rule("triage_rules"));
  start();
  rt->add_rule("triage_rules", [](const task& t) {
    return outcome::success({{"rule", true}, {"home", t.route.home_pool}});
  });
  vt.run();
  log("primary").failures = {failure::unavailable("down")};
  log("backup").failures = {failure::unavailable("down")};
  auto f = submit("t1");
  auto result = finish(f, from_ms(1));
  BOOST_TEST(result.ok());
  BOOST_TEST(result.served_by == "rule:triage_rules");
  BOOST_TEST(result.degraded);
  BOOST_TEST(result.agent == "triage_rules-1");
  BOOST_TEST(result.result_json() == (nlohmann::json{{"rule", true}, {"home", "p"}}));
}

BOOST_AUTO_TEST_CASE(a_rule_tier_without_a_pool_fails_and_the_chain_moves_on) {
  chain().tiers = {fallback_tier::rule("nobody"), fallback_tier::service("backup")};
  start();
  auto f = submit("t1");
  auto result = finish(f, from_ms(1));
  BOOST_TEST(result.served_by == "backup");
  BOOST_TEST(result.attempt == 2);
}

BOOST_AUTO_TEST_CASE(a_human_tier_escalates_and_says_it_served) {
  temp_dir dir;
  dead_letter_queue_config dead_letters;
  dead_letters.db = (dir.path / "dl.db").string();
  config.dead_letters = dead_letters;
  chain().tiers.push_back(fallback_tier::human());
  start();
  log("primary").failures = {failure::unavailable("down")};
  log("backup").failures = {failure::make(failure_category::content_policy, "refused")};
  auto f = submit("t1");
  auto result = finish(f, from_ms(1000));
  BOOST_TEST((result.status == outcome_status::escalated));
  BOOST_TEST(result.served_by == "human");
  BOOST_TEST(result.degraded);
  BOOST_TEST(metric("herd_fallback_served_total", {{"kind", "triage"}, {"tier", "human"}}) == 1);
}

BOOST_AUTO_TEST_CASE(a_chain_that_gives_up_ends_by_the_policy_with_its_reason) {
  temp_dir dir;
  dead_letter_queue_config dead_letters;
  dead_letters.db = (dir.path / "dl.db").string();
  config.dead_letters = dead_letters;
  start();
  log("primary").failures = {failure::unavailable("down")};
  log("backup").failures = {failure::timeout("slow")};
  auto f = submit("t1");
  auto result = finish(f, from_ms(1000));
  BOOST_TEST((result.status == outcome_status::dead_lettered));
  BOOST_TEST(result.error.message.find("chain_exhausted") != std::string::npos);
  BOOST_TEST(result.served_by.empty());
  BOOST_TEST(!result.degraded);
  BOOST_TEST(metric("herd_fallback_gave_up_total",
                    {{"kind", "triage"}, {"reason", "chain_exhausted"}}) == 1);
}

BOOST_AUTO_TEST_CASE(a_tier_service_added_from_cpp_is_known_and_a_missing_one_fails_clearly) {
  chain().tiers = {fallback_tier::service("ghost"), fallback_tier::service("late")};
  start({});
  auto missing = submit("missing");
  auto result = finish(missing, from_ms(1));
  BOOST_TEST((result.status == outcome_status::failed));
  BOOST_TEST(result.error.message.find("\"ghost\"") != std::string::npos);
  add("ghost");
  auto found = submit("found");
  result = finish(found, from_ms(1));
  BOOST_TEST(result.ok());
  BOOST_TEST(result.served_by == "ghost");
}

BOOST_AUTO_TEST_CASE(every_task_ends_once_and_the_books_balance) {
  start();
  move_breaker("primary", breaker_state::open);
  std::vector<std::future<caf::expected<outcome>>> futures;
  for (int i = 0; i < 20; ++i)
    futures.push_back(submit("t" + std::to_string(i)));
  vt.run();
  vt.advance(from_ms(60000));
  auto stats = rt->stats();
  BOOST_TEST(stats.accepted == 20u);
  BOOST_TEST(stats.completed == 20u);
  BOOST_TEST(stats.waiting == 0u);
  BOOST_TEST(stats.balanced());
  for (auto& f : futures)
    BOOST_TEST(f.get()->served_by == "backup");
}

BOOST_AUTO_TEST_SUITE_END()
