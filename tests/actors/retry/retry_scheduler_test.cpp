// The retry scheduler in virtual time, between a stand-in dispatcher, dead-letter queue and
// escalation queue that record what they receive.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dispatch/dispatcher.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/settlement.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/dispatch/agent.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/retry/protocol.hpp"
#include "herd/retry/retry_scheduler.hpp"
#include "herd/runtime/runtime_config.hpp"
#include "spawn_function.hpp"
#include "virtual_time_fixture.hpp"

namespace {

/// What the stand-ins received; times in virtual milliseconds.
struct recording {
  std::vector<std::pair<int64_t, herd::task>> resubmits;
  std::vector<herd::outcome> settles;
  std::vector<std::pair<herd::task, herd::dead_letter_reason>> dead_letters;
  std::vector<std::pair<herd::task, std::string>> escalations;
  std::vector<caf::response_promise> unanswered;
};

using recording_ptr = std::shared_ptr<recording>;

caf::behavior fake_dispatcher(caf::event_based_actor* self, recording_ptr r) {
  return {
      [=](herd::resubmit_atom, herd::task& t) {
        r->resubmits.emplace_back(herd::to_epoch_ms(self->clock().now()), std::move(t));
      },
      [=](herd::settle_atom, herd::outcome& x) { r->settles.push_back(std::move(x)); },
  };
}

/// A dead-letter and escalation queue that stores at once, acknowledges with ok_atom and
/// settles the task with `dispatcher`, as the real queues do once a task is durable.
caf::behavior fake_store(caf::event_based_actor* self, recording_ptr r, caf::actor dispatcher) {
  return {
      [=](herd::dlq_settle_atom, herd::task& t, herd::dead_letter_reason reason,
          const std::string& why) {
        self->send(dispatcher, herd::settle_atom::value,
                   herd::settlement_of(t, herd::outcome_status::dead_lettered, why));
        r->dead_letters.emplace_back(std::move(t), reason);
        return caf::ok_atom::value;
      },
      [=](herd::escalate_atom, herd::task& t, std::string& why) {
        self->send(dispatcher, herd::settle_atom::value,
                   herd::settlement_of(t, herd::outcome_status::escalated, why));
        r->escalations.emplace_back(std::move(t), std::move(why));
        return caf::ok_atom::value;
      },
  };
}

/// A dead-letter queue that acknowledges (and settles with `dispatcher`) only when the test
/// says so.
caf::behavior slow_store(caf::event_based_actor* self, recording_ptr r, caf::actor dispatcher) {
  auto settlements = std::make_shared<std::vector<herd::outcome>>();
  return {
      [=](herd::dlq_settle_atom, herd::task& t, herd::dead_letter_reason reason,
          const std::string& why) -> caf::result<caf::ok_atom> {
        settlements->push_back(herd::settlement_of(t, herd::outcome_status::dead_lettered, why));
        r->dead_letters.emplace_back(std::move(t), reason);
        r->unanswered.push_back(self->make_response_promise());
        return r->unanswered.back();
      },
      // (ok_atom): everything received so far is durable now.
      [=](caf::ok_atom) {
        for (auto& promise : r->unanswered)
          promise.deliver(caf::ok_atom::value);
        r->unanswered.clear();
        for (auto& x : *settlements)
          self->send(dispatcher, herd::settle_atom::value, std::move(x));
        settlements->clear();
      },
  };
}

/// A dead-letter queue whose disk is full.
caf::behavior broken_store(caf::event_based_actor*) {
  return {
      [=](herd::dlq_settle_atom, herd::task&, herd::dead_letter_reason,
          const std::string&) -> caf::result<caf::ok_atom> {
        return caf::make_error(caf::sec::runtime_error, "disk full");
      },
  };
}

herd::failure_policy fixed(int64_t ms, int32_t max_attempts = 5) {
  herd::failure_policy p;
  p.max_attempts = max_attempts;
  p.backoff = {herd::backoff_kind::fixed, herd::from_ms(ms), 1.0, herd::from_ms(ms)};
  return p;
}

/// No budget and no pacing: only the timer queue and the policies act.
herd::retry_scheduler_config unthrottled() {
  herd::retry_scheduler_config c;
  c.budget_enabled = false;
  c.pacing_enabled = false;
  return c;
}

struct scheduler_fixture : herd::test::virtual_time_fixture {
  recording_ptr rec = std::make_shared<recording>();
  caf::actor dispatcher = sys.spawn(fake_dispatcher, rec);
  caf::actor store = sys.spawn(fake_store, rec, dispatcher);
  std::map<std::string, herd::failure_policy> policies = herd::runtime_config{}.policies;
  herd::retry_scheduler_actor scheduler;
  int64_t t0 = herd::to_epoch_ms(vt.now());

  scheduler_fixture() { policies["fixed"] = fixed(2000); }

  ~scheduler_fixture() {
    if (scheduler)
      caf::anon_send_exit(scheduler, caf::exit_reason::kill);
    for (auto& a : {dispatcher, store})
      if (a)
        caf::anon_send_exit(a, caf::exit_reason::kill);
    vt.run();
  }

  void start(herd::retry_scheduler_config config = {}, caf::actor dlq = {},
             bool with_store = true) {
    herd::retry_scheduler_peers peers{dispatcher, {}, {}};
    if (with_store) {
      peers.dead_letter_queue = caf::actor_cast<herd::dead_letter_queue_actor>(dlq ? dlq : store);
      peers.escalation_queue = caf::actor_cast<herd::escalation_queue_actor>(store);
    }
    scheduler = sys.spawn<herd::retry_scheduler>(config, policies, peers, metrics);
    vt.run();
  }

  /// A task of `kind` whose attempt `attempt` just failed with `why` from `service`.
  herd::task failed(const std::string& id, const std::string& kind, herd::failure why,
                    int32_t attempt = 1, const std::string& service = "llm") {
    auto t = herd::task::make(id, kind);
    t.service = service;
    t.created = vt.now();
    t.attempt = attempt;
    why.from(service, why.status_code);
    for (int32_t n = 1; n <= attempt; ++n)
      t.history.push_back(herd::attempt_record{n, vt.now(), "agent-" + id, why});
    return t;
  }

  void fail(const herd::task& t) {
    self->send(scheduler, herd::retry_atom::value, t);
    vt.run();
  }

  void breaker(herd::breaker_state from, herd::breaker_state to,
               const std::string& service = "llm") {
    herd::breaker_transition x;
    x.key = service;
    x.service = service;
    x.from = from;
    x.to = to;
    x.at = vt.now();
    self->send(scheduler, x);
    vt.run();
  }

  void advance_ms(int64_t ms) { vt.advance(herd::from_ms(ms)); }

  uint64_t count(const std::string& name, const std::string& kind,
                 const std::string& service = "llm") {
    return metrics->counter(name, "", {{"kind", kind}, {"service", service}}).value();
  }

  double gauge(const std::string& name, const std::string& service = "llm") {
    return metrics->gauge(name, "", {{"service", service}}).value();
  }
};

herd::failure transient() {
  return herd::failure::transient("connection reset");
}

/// Fails attempts 1 and 2 of every task with a transient error from "llm", then succeeds;
/// a payload of "permanent" fails for good. Counts runs per task id.
class flaky_agent : public herd::agent {
public:
  flaky_agent(caf::actor_config& cfg, std::shared_ptr<std::map<std::string, int>> runs)
      : herd::agent(cfg), runs_(std::move(runs)) {}

protected:
  herd::outcome handle(const herd::task& t) override {
    ++(*runs_)[t.id];
    if (t.payload_json() == "permanent")
      return herd::outcome::fail(herd::failure::permanent("422 unprocessable").from("llm", 422));
    if (t.attempt < 3)
      return herd::outcome::fail(transient().from("llm", 503));
    return herd::outcome::success({{"attempt", t.attempt}});
  }

private:
  std::shared_ptr<std::map<std::string, int>> runs_;
};

herd::failure unavailable() {
  return herd::failure::unavailable("503 service unavailable");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(retry_scheduler, scheduler_fixture)

BOOST_AUTO_TEST_CASE(a_retry_comes_back_after_its_backoff_with_the_next_attempt_and_history) {
  start();
  fail(failed("t1", "fixed", transient()));
  advance_ms(1999);
  BOOST_TEST(rec->resubmits.empty());
  advance_ms(1);
  BOOST_TEST_REQUIRE(rec->resubmits.size() == 1u);
  auto [when, t] = rec->resubmits.front();
  BOOST_TEST(when == t0 + 2000);
  BOOST_TEST(t.id == "t1");
  BOOST_TEST(t.attempt == 2);
  BOOST_TEST_REQUIRE(t.history.size() == 1u);
  BOOST_TEST(t.history[0].agent == "agent-t1");
  // The second attempt fails too: the dispatcher appends it, the scheduler keeps it all.
  t.history.push_back(herd::attempt_record{2, vt.now(), "agent-b", unavailable().from("llm")});
  fail(t);
  advance_ms(2000);
  BOOST_TEST_REQUIRE(rec->resubmits.size() == 2u);
  BOOST_TEST(rec->resubmits[1].second.attempt == 3);
  BOOST_TEST(rec->resubmits[1].second.history.size() == 2u);
  BOOST_TEST(count("herd_retries_scheduled_total", "fixed") == 2u);
  BOOST_TEST(count("herd_retries_released_total", "fixed") == 2u);
  BOOST_TEST(rec->settles.empty());
}

BOOST_AUTO_TEST_CASE(a_thousand_pending_retries_share_one_timer) {
  start(unthrottled());
  for (int i = 0; i < 1000; ++i)
    self->send(scheduler, herd::retry_atom::value,
               failed("t" + std::to_string(i), "read_only", transient()));
  vt.run();
  BOOST_TEST(metrics->gauge("herd_retry_queue_depth", "").value() == 1000.0);
  // One armed timer, plus the few superseded ones whose ticks CAF 0.17 cannot cancel.
  BOOST_TEST(vt.coordinator().clock().schedule().size() <= 20u);
  advance_ms(1000); // read_only: full jitter below 400 ms for the first retry
  BOOST_TEST(rec->resubmits.size() == 1000u);
  BOOST_TEST(std::is_sorted(rec->resubmits.begin(), rec->resubmits.end(),
                            [](auto& x, auto& y) { return x.first < y.first; }));
  BOOST_TEST(rec->resubmits.back().first <= t0 + 400);
  BOOST_TEST(!vt.has_timer());
}

BOOST_AUTO_TEST_CASE(an_exhausted_task_is_settled_only_after_the_dlq_stored_it) {
  auto rec_store = sys.spawn(slow_store, rec, dispatcher);
  start({}, rec_store);
  fail(failed("n1", "notification", transient(), 3));
  BOOST_TEST_REQUIRE(rec->dead_letters.size() == 1u);
  BOOST_TEST((rec->dead_letters[0].second == herd::dead_letter_reason::exhausted));
  BOOST_TEST(rec->dead_letters[0].first.history.size() == 3u);
  BOOST_TEST(rec->settles.empty()); // not durable yet
  self->send(rec_store, caf::ok_atom::value);
  vt.run();
  BOOST_TEST_REQUIRE(rec->settles.size() == 1u);
  BOOST_TEST(rec->settles[0].task_id == "n1");
  BOOST_TEST((rec->settles[0].status == herd::outcome_status::dead_lettered));
  BOOST_TEST(rec->settles[0].attempt == 3);
  BOOST_TEST(count("herd_retries_exhausted_total", "notification") == 1u);
  BOOST_TEST(rec->resubmits.empty());
  caf::anon_send_exit(rec_store, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_CASE(a_notification_retries_twice_then_dead_letters) {
  start();
  fail(failed("n1", "notification", transient(), 1));
  advance_ms(2000); // exponential: 1 s * 2^1
  BOOST_TEST_REQUIRE(rec->resubmits.size() == 1u);
  fail(failed("n1", "notification", transient(), 2));
  advance_ms(3999);
  BOOST_TEST(rec->resubmits.size() == 1u);
  advance_ms(1); // 1 s * 2^2
  BOOST_TEST(rec->resubmits.size() == 2u);
  fail(failed("n1", "notification", transient(), 3));
  BOOST_TEST(rec->dead_letters.size() == 1u);
  BOOST_TEST_REQUIRE(rec->settles.size() == 1u);
  BOOST_TEST((rec->settles[0].status == herd::outcome_status::dead_lettered));
}

BOOST_AUTO_TEST_CASE(a_permanent_failure_is_dead_lettered_as_non_retryable) {
  start();
  fail(failed("r1", "read_only", herd::failure::permanent("404 no such document")));
  BOOST_TEST_REQUIRE(rec->dead_letters.size() == 1u);
  BOOST_TEST((rec->dead_letters[0].second == herd::dead_letter_reason::non_retryable));
  BOOST_TEST_REQUIRE(rec->settles.size() == 1u);
  BOOST_TEST(rec->settles[0].error.message.find("404") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(payments_and_keyless_mutations_escalate_keyed_mutations_retry) {
  start();
  auto pay = failed("p1", "payment", herd::failure::timeout("gateway timeout"));
  pay.idempotency_key = "pay-1";
  fail(pay);
  fail(failed("m1", "mutation", transient()));
  auto keyed = failed("m2", "mutation", transient());
  keyed.idempotency_key = "order-2";
  fail(keyed);
  BOOST_TEST_REQUIRE(rec->escalations.size() == 2u);
  BOOST_TEST(rec->escalations[0].first.id == "p1");
  BOOST_TEST(rec->escalations[1].first.id == "m1");
  BOOST_TEST(rec->escalations[1].second.find("idempotency key") != std::string::npos);
  BOOST_TEST_REQUIRE(rec->settles.size() == 2u);
  BOOST_TEST((rec->settles[0].status == herd::outcome_status::escalated));
  advance_ms(30'000);
  BOOST_TEST_REQUIRE(rec->resubmits.size() == 1u);
  BOOST_TEST(rec->resubmits[0].second.id == "m2");
}

BOOST_AUTO_TEST_CASE(without_a_dlq_or_when_it_fails_the_task_ends_failed) {
  start({}, {}, false);
  fail(failed("r1", "read_only", herd::failure::permanent("bad request")));
  BOOST_TEST_REQUIRE(rec->settles.size() == 1u);
  BOOST_TEST((rec->settles[0].status == herd::outcome_status::failed));
  caf::anon_send_exit(scheduler, caf::exit_reason::kill);
  auto broken = herd::test::spawn_function(sys, broken_store);
  start({}, broken);
  fail(failed("r2", "read_only", herd::failure::permanent("bad request")));
  BOOST_TEST_REQUIRE(rec->settles.size() == 2u);
  BOOST_TEST((rec->settles[1].status == herd::outcome_status::failed));
  BOOST_TEST(rec->settles[1].error.message.find("disk full") != std::string::npos);
  caf::anon_send_exit(broken, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_CASE(retries_are_held_while_the_breaker_is_open) {
  start();
  breaker(herd::breaker_state::closed, herd::breaker_state::open);
  fail(failed("t1", "fixed", unavailable()));
  fail(failed("t2", "fixed", unavailable(), 1, "search")); // another service is not held
  advance_ms(10'000);
  BOOST_TEST_REQUIRE(rec->resubmits.size() == 1u);
  BOOST_TEST(rec->resubmits[0].second.id == "t2");
  BOOST_TEST(gauge("herd_retries_held_by_breaker") == 1.0);
  BOOST_TEST(count("herd_retries_held_by_breaker_total", "fixed") == 1u);
  breaker(herd::breaker_state::open, herd::breaker_state::forced_open);
  advance_ms(10'000);
  BOOST_TEST(rec->resubmits.size() == 1u);
  breaker(herd::breaker_state::forced_open, herd::breaker_state::half_open);
  BOOST_TEST_REQUIRE(rec->resubmits.size() == 2u);
  BOOST_TEST(rec->resubmits[1].second.id == "t1");
  BOOST_TEST(rec->resubmits[1].first == t0 + 20'000);
  BOOST_TEST(gauge("herd_retries_held_by_breaker") == 0.0);
}

BOOST_AUTO_TEST_CASE(hundreds_of_agents_get_a_paced_ramp_after_recovery) {
  herd::retry_scheduler_config config; // default budget; pacing from 10/s (not the default
  config.pacing.initial_rate = 10;     // 100/s, so the ramp shows), +5/s per second, burst 5
  start(config);
  const int agents = 400;
  breaker(herd::breaker_state::closed, herd::breaker_state::open);
  for (int i = 0; i < agents; ++i)
    self->send(scheduler, herd::retry_atom::value,
               failed("t" + std::to_string(i), "read_only", unavailable()));
  vt.run();
  advance_ms(30'000);
  BOOST_TEST(rec->resubmits.empty());
  BOOST_TEST(gauge("herd_retries_held_by_breaker") == static_cast<double>(agents));
  auto recovery = herd::to_epoch_ms(vt.now());
  breaker(herd::breaker_state::open, herd::breaker_state::half_open);
  advance_ms(1000);
  breaker(herd::breaker_state::half_open, herd::breaker_state::closed);
  advance_ms(60'000);
  BOOST_TEST_REQUIRE(rec->resubmits.size() == static_cast<size_t>(agents));
  std::map<int64_t, int> per_second;
  for (auto& [when, t] : rec->resubmits) {
    BOOST_TEST_REQUIRE(when >= recovery);
    ++per_second[(when - recovery) / 1000];
  }
  std::string ramp;
  for (auto& [k, n] : per_second)
    ramp += std::to_string(n) + " ";
  BOOST_TEST_MESSAGE("releases per second after recovery: " << ramp);
  for (auto& [k, n] : per_second) {
    // The pacer's rate during second k is at most 10 + 5 * (k + 1), plus a burst of 5.
    BOOST_TEST_REQUIRE(n <= 5 + 10 + 5 * (k + 1));
  }
  BOOST_TEST(per_second[0] <= 16);
  // A ramp, not a wall: the herd needs several seconds to come back.
  BOOST_TEST(per_second.rbegin()->first >= 5);
  BOOST_TEST(gauge("herd_retry_rate") > 10.0);
}

BOOST_AUTO_TEST_CASE(retries_that_fail_again_halve_the_pace) {
  herd::retry_scheduler_config config;
  config.budget_enabled = false;
  config.pacing.initial_rate = 10;
  config.pacing.increase_per_s = 0; // a flat 10/s, so only the decrease shows
  config.pacing.burst = 1;
  start(config);
  breaker(herd::breaker_state::closed, herd::breaker_state::open);
  for (int i = 0; i < 100; ++i)
    self->send(scheduler, herd::retry_atom::value,
               failed("t" + std::to_string(i), "read_only", unavailable()));
  vt.run();
  advance_ms(5000);
  auto recovery = herd::to_epoch_ms(vt.now());
  breaker(herd::breaker_state::open, herd::breaker_state::half_open);
  advance_ms(1000);
  auto first_second = rec->resubmits.size();
  BOOST_TEST(first_second >= 10u);
  BOOST_TEST(first_second <= 11u);
  // Every retry sent so far fails again.
  for (auto [when, t] : rec->resubmits) {
    t.history.push_back(
        herd::attempt_record{t.attempt, vt.now(), "agent", unavailable().from("llm")});
    self->send(scheduler, herd::retry_atom::value, t);
  }
  vt.run();
  advance_ms(2000);
  auto third_second = std::count_if(rec->resubmits.begin(), rec->resubmits.end(), [&](auto& r) {
    return r.first >= recovery + 2000 && r.first < recovery + 3000;
  });
  BOOST_TEST(third_second <= 6);
  BOOST_TEST(third_second >= 4);
  BOOST_TEST(gauge("herd_retry_rate") == 5.0);
}

BOOST_AUTO_TEST_CASE(synchronized_retry_after_returns_are_spread_over_the_window) {
  start(unthrottled());
  auto limited = herd::failure::rate_limited("429 slow down", herd::from_ms(5000));
  for (int i = 0; i < 200; ++i)
    self->send(scheduler, herd::retry_atom::value,
               failed("t" + std::to_string(i), "read_only", limited));
  vt.run();
  advance_ms(10'000);
  BOOST_TEST_REQUIRE(rec->resubmits.size() == 200u);
  std::map<int64_t, int> per_100ms;
  for (auto& [when, t] : rec->resubmits) {
    BOOST_TEST_REQUIRE(when >= t0 + 5000); // the hint is a lower bound
    BOOST_TEST_REQUIRE(when <= t0 + 6250); // window: max(1 s, 25 % of 5 s)
    ++per_100ms[(when - t0) / 100];
  }
  BOOST_TEST(per_100ms.size() >= 12u);
  for (auto& [bucket, n] : per_100ms)
    BOOST_TEST_REQUIRE(n <= 40); // 16 expected; never the whole herd at once
}

BOOST_AUTO_TEST_CASE(a_spent_budget_makes_retries_wait_for_successes) {
  auto config = unthrottled();
  config.budget_enabled = true;
  config.budget = {4, 1, 0}; // 4 tokens, a success refunds 1, no floor
  start(config);
  for (auto id : {"a", "b", "c"})
    fail(failed(id, "fixed", transient())); // 4 -> 1 token: at most half, spent
  advance_ms(5000);
  BOOST_TEST(rec->resubmits.empty());
  BOOST_TEST(gauge("herd_retries_waiting_for_budget") == 3.0);
  BOOST_TEST(gauge("herd_retry_budget_tokens") == 1.0);
  self->send(scheduler, herd::observe_atom::value, std::string{"llm"}, 1, 0);
  vt.run();
  BOOST_TEST(rec->resubmits.empty()); // 2 tokens: still at most half
  self->send(scheduler, herd::observe_atom::value, std::string{"llm"}, 1, 0);
  vt.run();
  BOOST_TEST(rec->resubmits.size() == 3u);
  BOOST_TEST(gauge("herd_retries_waiting_for_budget") == 0.0);
}

BOOST_AUTO_TEST_CASE(a_spent_budget_dead_letters_when_configured) {
  auto config = unthrottled();
  config.budget_enabled = true;
  config.budget = {4, 1, 0};
  config.on_budget_exhausted = herd::budget_action::dead_letter;
  start(config);
  fail(failed("a", "fixed", transient()));
  fail(failed("b", "fixed", transient()));
  fail(failed("c", "fixed", transient()));
  advance_ms(2000);
  BOOST_TEST(rec->resubmits.empty());
  BOOST_TEST_REQUIRE(rec->dead_letters.size() == 3u);
  BOOST_TEST((rec->dead_letters[0].second == herd::dead_letter_reason::budget_exhausted));
  BOOST_TEST(rec->settles.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_retry_held_past_its_deadline_is_dead_lettered) {
  policies["fixed"].retry_deadline = herd::from_ms(10'000);
  start();
  breaker(herd::breaker_state::closed, herd::breaker_state::open);
  fail(failed("t1", "fixed", unavailable()));
  advance_ms(20'000);
  breaker(herd::breaker_state::open, herd::breaker_state::half_open);
  BOOST_TEST(rec->resubmits.empty());
  BOOST_TEST_REQUIRE(rec->dead_letters.size() == 1u);
  BOOST_TEST((rec->dead_letters[0].second == herd::dead_letter_reason::exhausted));
  BOOST_TEST(count("herd_retries_exhausted_total", "fixed") == 1u);
}

BOOST_AUTO_TEST_CASE(handback_returns_every_pending_retry_and_settles_it) {
  start();
  breaker(herd::breaker_state::closed, herd::breaker_state::open);
  fail(failed("held", "fixed", unavailable()));
  advance_ms(3000);
  fail(failed("queued", "fixed", unavailable(), 1, "search"));
  self->send(scheduler, herd::handback_atom::value);
  vt.run();
  auto tasks = next<std::vector<herd::task>>();
  BOOST_TEST_REQUIRE(tasks.has_value());
  BOOST_TEST_REQUIRE(tasks->size() == 2u);
  BOOST_TEST((*tasks)[0].id == "held");
  BOOST_TEST((*tasks)[1].id == "queued");
  BOOST_TEST_REQUIRE(rec->settles.size() == 2u);
  BOOST_TEST((rec->settles[0].status == herd::outcome_status::handed_back));
  breaker(herd::breaker_state::open, herd::breaker_state::closed);
  advance_ms(10'000);
  BOOST_TEST(rec->resubmits.empty());
}

BOOST_AUTO_TEST_CASE(a_scheduler_without_a_dispatcher_refuses_to_start) {
  BOOST_CHECK_THROW(sys.spawn<herd::retry_scheduler>(herd::retry_scheduler_config{}, policies,
                                                     herd::retry_scheduler_peers{}, metrics),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(with_the_real_dispatcher_a_task_completes_on_its_third_attempt) {
  auto real = caf::actor_cast<caf::actor>(sys.spawn<herd::dispatcher>(
      herd::dispatcher_config{}, metrics, herd::failed_attempts::retry));
  auto runs = std::make_shared<std::map<std::string, int>>();
  auto worker = sys.spawn<flaky_agent>(runs);
  self->send(real, herd::join_atom::value, std::string{"default"}, worker, std::string{"a1"},
             int32_t{1});
  scheduler = sys.spawn<herd::retry_scheduler>(
      herd::retry_scheduler_config{}, policies,
      herd::retry_scheduler_peers{
          real,
          caf::actor_cast<herd::dead_letter_queue_actor>(sys.spawn(fake_store, rec, real)),
          {}},
      metrics);
  self->send(real, herd::connect_retry_atom::value, caf::actor_cast<caf::actor>(scheduler));
  vt.run();
  self->send(real, herd::submit_atom::value, herd::task::make("ok-1", "fixed"));
  self->send(real, herd::submit_atom::value, herd::task::make("bad-1", "fixed", "permanent"));
  vt.run();
  advance_ms(2000); // the first retry of ok-1
  BOOST_TEST((*runs)["ok-1"] == 2);
  advance_ms(2000);
  auto first = next<herd::outcome>();
  auto second = next<herd::outcome>();
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST_REQUIRE(second.has_value());
  if (first->task_id != "ok-1")
    std::swap(first, second);
  BOOST_TEST(first->ok());
  BOOST_TEST(first->result_json()["attempt"] == 3);
  BOOST_TEST((*runs)["ok-1"] == 3);
  BOOST_TEST(second->task_id == "bad-1");
  BOOST_TEST((second->status == herd::outcome_status::dead_lettered));
  BOOST_TEST((*runs)["bad-1"] == 1);
  BOOST_TEST_REQUIRE(rec->dead_letters.size() == 1u);
  BOOST_TEST(rec->dead_letters[0].first.history.size() == 1u);
  // The task named no service: its letter carries the failure's, so `dlq list --service llm`
  // finds it.
  BOOST_TEST(rec->dead_letters[0].first.service == "llm");
  // A resubmit of the completed id is not run again.
  auto again = herd::task::make("ok-1", "fixed");
  again.attempt = 4;
  self->send(real, herd::resubmit_atom::value, again);
  vt.run();
  BOOST_TEST((*runs)["ok-1"] == 3);
  for (auto& a : {real, worker})
    caf::anon_send_exit(a, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_SUITE_END()
