// The circuit breaker actor in virtual time: forwarding, failing fast, probes, timeouts,
// stale answers, manual states, run-time configuration, subscribers and metrics.
#include <boost/test/unit_test.hpp>

#include "actors/scripted_service.hpp"
#include "dispatch/dispatcher.hpp"
#include "herd/breakers/circuit_breaker.hpp"
#include "herd/breakers/protocol.hpp"
#include "herd/core/errc.hpp"
#include "herd/dispatch/agent.hpp"
#include "herd/dispatch/protocol.hpp"
#include "virtual_time_fixture.hpp"

using herd::breaker_state;
using herd::breaker_status;
using herd::breaker_transition;
using herd::failure_category;
using herd::from_ms;
using herd::outcome;

namespace {

/// Trips after 4 calls at 50 %, opens for 1 s (doubling), 3 probes of 500 ms at most.
herd::breaker_policy test_policy() {
  herd::breaker_policy p;
  p.window_size = 10;
  p.min_calls = 4;
  p.open_duration = from_ms(1000);
  p.max_open_duration = from_ms(60000);
  p.open_jitter = 0;
  p.half_open_probes = 3;
  p.probe_timeout = from_ms(500);
  p.max_half_open = from_ms(5000);
  p.call_timeout = from_ms(60000);
  p.slow_call_duration = from_ms(2000);
  return p;
}

using results = std::shared_ptr<std::vector<outcome>>;

/// An agent that calls the breaker once per `(call_atom)` and keeps the outcomes.
caf::behavior caller(caf::event_based_actor* self, caf::actor breaker, results out) {
  return {[=](herd::call_atom) {
    self->request(breaker, caf::infinite, herd::call_atom::value, std::string{"{}"})
        .then([=](outcome& o) { out->push_back(std::move(o)); },
              [=](caf::error&) { out->push_back(outcome::fail(herd::failure::unknown("error"))); });
  }};
}

/// An agent whose tasks are calls to a downstream service through its breaker.
class service_agent : public herd::agent {
public:
  service_agent(caf::actor_config& cfg, caf::actor breaker)
      : herd::agent(cfg), breaker_(std::move(breaker)) {}

protected:
  void handle_async(const herd::task& t, herd::task_completion done) override {
    request(breaker_, caf::infinite, herd::call_atom::value, t.payload)
        .then([done](outcome& o) { done.finish(std::move(o)); },
              [done](caf::error&) { done.fail(herd::failure::unknown("breaker error")); });
  }

private:
  caf::actor breaker_;
};

struct breaker_fixture : herd::test::virtual_time_fixture {
  std::shared_ptr<herd::test::service_script> script =
      std::make_shared<herd::test::service_script>();
  caf::actor service = sys.spawn<herd::test::scripted_service>(script);
  herd::circuit_breaker_actor breaker;

  breaker_fixture() { start(test_policy()); }

  ~breaker_fixture() { stop(breaker, service); }

  void start(herd::breaker_policy policy) {
    breaker = sys.spawn<herd::circuit_breaker>("llm", "llm", service, std::move(policy), metrics,
                                               uint64_t{7});
  }

  /// One call from the test; empty if no answer came (yet).
  std::optional<outcome> call() {
    self->send(breaker, herd::call_atom::value, std::string{"{}"});
    vt.run();
    return next<outcome>();
  }

  /// `n` calls, all answered; returns them.
  std::vector<outcome> calls(int n) {
    std::vector<outcome> result;
    for (int i = 0; i < n; ++i) {
      auto o = call();
      BOOST_REQUIRE(o.has_value());
      result.push_back(*o);
    }
    return result;
  }

  breaker_status status() {
    self->send(breaker, herd::breaker_status_atom::value);
    vt.run();
    auto s = next<breaker_status>();
    BOOST_REQUIRE(s.has_value());
    return *s;
  }

  template <class... Ts>
  breaker_status control(Ts... xs) {
    self->send(breaker, xs...);
    vt.run();
    auto s = next<breaker_status>();
    BOOST_REQUIRE(s.has_value());
    return *s;
  }

  void subscribe() {
    self->send(breaker, herd::subscribe_atom::value, caf::actor_cast<caf::actor>(self));
    vt.run();
  }

  /// The states of every transition in the mailbox.
  std::vector<breaker_state> transitions() {
    std::vector<breaker_state> result;
    while (auto t = next<breaker_transition>())
      result.push_back(t->to);
    return result;
  }

  void trip() {
    script->mode = "transient";
    calls(4);
    BOOST_REQUIRE(status().state == breaker_state::open);
  }

  double metric(const std::string& name, const herd::metric_labels& extra = {}) {
    herd::metric_labels labels{{"breaker", "llm"}, {"service", "llm"}};
    labels.insert(labels.end(), extra.begin(), extra.end());
    if (name == "herd_breaker_state" || name == "herd_breaker_failure_rate")
      return metrics->gauge(name, "", labels).value();
    return static_cast<double>(metrics->counter(name, "", labels).value());
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(circuit_breaker, breaker_fixture)

BOOST_AUTO_TEST_CASE(forwards_calls_and_returns_the_services_outcome) {
  auto o = call();
  BOOST_REQUIRE(o.has_value());
  BOOST_TEST(o->ok());
  BOOST_TEST(o->result_json()["echo"] == "{}");
  script->mode = "permanent"; // the service is fine; the request is wrong
  for (auto& x : calls(10)) {
    BOOST_TEST((x.error.category == failure_category::permanent));
    BOOST_TEST(x.error.service == "llm");
  }
  BOOST_TEST((status().state == breaker_state::closed));
  BOOST_TEST(script->calls == 11);
  BOOST_TEST(metric("herd_breaker_calls_total", {{"outcome", "ignored"}}) == 10);
}

BOOST_AUTO_TEST_CASE(trips_and_fails_fast_with_time_until_probe) {
  trip();
  auto before = script->calls;
  vt.advance(from_ms(300));
  auto o = call();
  BOOST_REQUIRE(o.has_value());
  BOOST_TEST((o->error.category == failure_category::circuit_open));
  BOOST_TEST(herd::to_ms(o->error.retry_after) == 700);
  BOOST_TEST(o->error.service == "llm");
  BOOST_TEST(script->calls == before);
  BOOST_TEST(metric("herd_breaker_rejections_total") == 1);
  BOOST_TEST(metric("herd_breaker_state") == 1); // open
  BOOST_TEST(metric("herd_breaker_calls_total", {{"outcome", "failure"}}) == 4);
}

BOOST_AUTO_TEST_CASE(many_agents_one_failing_service) {
  auto out = std::make_shared<std::vector<outcome>>();
  std::vector<caf::actor> agents;
  for (int i = 0; i < 20; ++i)
    agents.push_back(sys.spawn(caller, caf::actor_cast<caf::actor>(breaker), out));
  auto round = [&] {
    for (auto& a : agents)
      self->send(a, herd::call_atom::value);
    vt.run();
  };
  subscribe();
  script->mode = "unavailable";
  round(); // 20 calls: the breaker trips at the 4th answer
  BOOST_TEST((transitions() == std::vector<breaker_state>{breaker_state::open}));
  auto at_open = script->calls;
  BOOST_TEST(at_open == 20);    // all were in flight before the answers came back
  for (int i = 0; i < 9; ++i) { // 900 ms of calls while open
    round();
    vt.advance(from_ms(100));
  }
  BOOST_TEST(script->calls == at_open); // nothing reached the service
  vt.advance(from_ms(100));             // open duration over: half-open by the timer
  BOOST_TEST((transitions() == std::vector<breaker_state>{breaker_state::half_open}));
  round();
  BOOST_TEST(script->calls == at_open + 3); // exactly the probes
  BOOST_TEST((transitions() == std::vector<breaker_state>{breaker_state::open})); // they failed
  script->mode = "ok";           // the service recovers
  for (int i = 0; i < 19; ++i) { // 1.9 s: the second opening lasts 2 s
    round();
    vt.advance(from_ms(100));
  }
  BOOST_TEST(script->calls == at_open + 3);
  vt.advance(from_ms(100));
  round();
  BOOST_TEST(script->calls == at_open + 6);
  BOOST_TEST((transitions() ==
              std::vector<breaker_state>{breaker_state::half_open, breaker_state::closed}));
  out->clear();
  round();
  BOOST_TEST(script->calls == at_open + 26);
  BOOST_TEST(out->size() == 20u);
  for (auto& o : *out)
    BOOST_TEST(o.ok());
}

BOOST_AUTO_TEST_CASE(a_probe_without_answer_times_out_and_reopens) {
  subscribe();
  trip();
  script->mode = "hang";
  vt.advance(from_ms(1000));
  auto out = std::make_shared<std::vector<outcome>>();
  std::vector<caf::actor> agents;
  for (int i = 0; i < 4; ++i) {
    agents.push_back(sys.spawn(caller, caf::actor_cast<caf::actor>(breaker), out));
    self->send(agents.back(), herd::call_atom::value);
  }
  vt.run();
  BOOST_TEST(out->size() == 1u); // the fourth was rejected; three probes hang
  BOOST_TEST((status().state == breaker_state::half_open));
  vt.advance(from_ms(499));
  BOOST_TEST(out->size() == 1u);
  vt.advance(from_ms(1));
  BOOST_REQUIRE(out->size() == 4u);
  for (size_t i = 1; i < 4; ++i)
    BOOST_TEST(((*out)[i].error.category == failure_category::timeout));
  BOOST_TEST((status().state == breaker_state::open));
  BOOST_TEST(
      (transitions() == std::vector<breaker_state>{breaker_state::open, breaker_state::half_open,
                                                   breaker_state::open}));
}

BOOST_AUTO_TEST_CASE(half_open_waits_for_traffic_then_bounds_the_verdict) {
  subscribe();
  trip();
  vt.advance(from_ms(1000));
  BOOST_TEST((status().state == breaker_state::half_open));
  vt.advance(from_ms(600000)); // no calls: nothing to decide, no timer
  BOOST_TEST((status().state == breaker_state::half_open));
  script->mode = "ok";
  calls(1); // one probe of three answered, then silence
  vt.advance(from_ms(4999));
  BOOST_TEST((status().state == breaker_state::half_open));
  vt.advance(from_ms(1));
  BOOST_TEST((status().state == breaker_state::open));
  BOOST_TEST(herd::to_ms(status().until_probe) == 2000); // the second opening
  BOOST_TEST(
      (transitions() == std::vector<breaker_state>{breaker_state::open, breaker_state::half_open,
                                                   breaker_state::open}));
}

BOOST_AUTO_TEST_CASE(late_answers_from_before_a_transition_are_ignored) {
  script->mode = "hang";
  self->send(breaker, herd::call_atom::value, std::string{"early"}); // held by the service
  vt.run();
  trip();
  vt.advance(from_ms(1000));
  BOOST_REQUIRE(status().state == breaker_state::half_open);
  self->send(service, caf::put_atom::value, std::string{"transient"}); // its late failure
  vt.run();
  auto late = next<outcome>();
  BOOST_REQUIRE(late.has_value());
  BOOST_TEST((late->error.category == failure_category::transient)); // the caller still hears
  BOOST_TEST((status().state == breaker_state::half_open));          // the breaker does not
  script->mode = "ok";
  calls(3);
  BOOST_TEST((status().state == breaker_state::closed));
}

BOOST_AUTO_TEST_CASE(slow_calls_trip_the_breaker) {
  auto p = test_policy();
  p.slow_call_rate_threshold = 0.5;
  start(p);
  script->mode = "delay";
  script->delay = from_ms(2500);
  for (int i = 0; i < 4; ++i)
    self->send(breaker, herd::call_atom::value, std::string{"{}"});
  vt.advance(from_ms(2500));
  for (int i = 0; i < 4; ++i)
    BOOST_TEST(next<outcome>()->ok());
  BOOST_TEST((status().state == breaker_state::open));
  BOOST_TEST(status().slow_call_rate == 1.0);
  BOOST_TEST(metric("herd_breaker_slow_calls_total") == 4);
}

BOOST_AUTO_TEST_CASE(a_dead_service_counts_as_unavailable) {
  anon_send_exit(service, caf::exit_reason::kill);
  vt.run();
  auto o = call();
  BOOST_REQUIRE(o.has_value());
  BOOST_TEST((o->error.category == failure_category::unavailable));
  calls(3);
  BOOST_TEST((status().state == breaker_state::open));
}

BOOST_AUTO_TEST_CASE(forced_open_disabled_and_metrics_only_by_message) {
  subscribe();
  auto s = control(herd::transition_atom::value, breaker_state::forced_open);
  BOOST_TEST((s.state == breaker_state::forced_open));
  auto o = call();
  BOOST_TEST((o->error.category == failure_category::circuit_open));
  BOOST_TEST(script->calls == 0);
  vt.advance(from_ms(600000));
  BOOST_TEST((status().state == breaker_state::forced_open)); // no timer lets it out

  control(herd::transition_atom::value, breaker_state::disabled);
  script->mode = "transient";
  calls(20);
  s = status();
  BOOST_TEST((s.state == breaker_state::disabled));
  BOOST_TEST(s.window_calls == 0u);
  BOOST_TEST(script->calls == 20);

  control(herd::transition_atom::value, breaker_state::metrics_only);
  calls(20);
  s = status();
  BOOST_TEST((s.state == breaker_state::metrics_only));
  BOOST_TEST(s.failure_rate == 1.0);
  BOOST_TEST(s.window_calls == 10u);

  s = control(herd::reset_atom::value);
  BOOST_TEST((s.state == breaker_state::closed));
  BOOST_TEST((transitions() ==
              std::vector<breaker_state>{breaker_state::forced_open, breaker_state::disabled,
                                         breaker_state::metrics_only, breaker_state::closed}));
}

BOOST_AUTO_TEST_CASE(configuration_is_replaced_at_run_time) {
  auto s = control(herd::configure_atom::value, std::string{R"({"min_calls": 2})"});
  BOOST_TEST((s.state == breaker_state::closed));
  script->mode = "timeout";
  calls(2);
  BOOST_TEST((status().state == breaker_state::open));

  self->send(breaker, herd::configure_atom::value, std::string{R"({"min_calls": "two"})"});
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err.has_value());
  BOOST_TEST((*err == herd::errc::invalid_config));
  BOOST_TEST(sys.render(*err).find("/min_calls") != std::string::npos);

  auto p = test_policy();
  p.half_open_probes = 1;
  control(herd::configure_atom::value, p);
  vt.advance(from_ms(1000));
  script->mode = "ok";
  calls(1);
  BOOST_TEST((status().state == breaker_state::closed)); // one probe was enough
}

BOOST_AUTO_TEST_CASE(subscribers_hear_each_transition_once_until_they_leave) {
  subscribe();
  subscribe(); // twice is still once
  trip();
  calls(5); // rejected: no transition
  BOOST_TEST((transitions() == std::vector<breaker_state>{breaker_state::open}));
  self->send(breaker, herd::unsubscribe_atom::value, caf::actor_cast<caf::actor>(self));
  vt.advance(from_ms(1000));
  BOOST_TEST(transitions().empty());
  BOOST_TEST((status().state == breaker_state::half_open));
}

BOOST_AUTO_TEST_CASE(transitions_carry_key_generation_and_time_until_probe) {
  subscribe();
  trip();
  auto t = next<breaker_transition>();
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->key == "llm");
  BOOST_TEST(t->service == "llm");
  BOOST_TEST((t->from == breaker_state::closed));
  BOOST_TEST(t->generation == 1u);
  BOOST_TEST(herd::to_ms(t->until_probe) == 1000);
  BOOST_TEST((t->at == vt.now()));
}

BOOST_AUTO_TEST_CASE(agents_of_a_pool_share_one_breaker_through_the_dispatcher) {
  auto dispatcher = caf::actor_cast<caf::actor>(sys.spawn<herd::dispatcher>(
      herd::dispatcher_config{}, metrics, herd::failed_attempts::end_task));
  for (int i = 1; i <= 10; ++i) {
    auto a = sys.spawn<service_agent>(caf::actor_cast<caf::actor>(breaker));
    herd::agent_settings settings;
    settings.name = "llm-" + std::to_string(i);
    settings.pool = "llm";
    self->send(a, herd::setup_atom::value, settings);
    self->send(dispatcher, herd::join_atom::value, std::string{"llm"}, a, settings.name,
               int32_t{1});
  }
  vt.run();
  auto submit = [&](int first, int count) {
    for (int i = first; i < first + count; ++i)
      self->send(dispatcher, herd::submit_atom::value,
                 herd::task::make("t-" + std::to_string(i), "read_only", {{"q", i}}, "llm"));
    vt.run();
    std::map<failure_category, int> ended;
    int ok = 0;
    while (auto o = next<outcome>())
      o->ok() ? ++ok : ++ended[o->error.category];
    return std::make_pair(ok, ended);
  };
  script->mode = "unavailable";
  auto [ok1, failed1] = submit(0, 30);
  BOOST_TEST(script->calls == 10); // one call per agent, then the breaker was open
  BOOST_TEST(failed1[failure_category::unavailable] == 10);
  BOOST_TEST(failed1[failure_category::circuit_open] == 20);
  vt.advance(from_ms(1000));
  script->mode = "ok";
  auto [ok2, failed2] = submit(100, 10);
  BOOST_TEST(script->calls == 13); // exactly the three probes
  BOOST_TEST(ok2 == 3);
  BOOST_TEST(failed2[failure_category::circuit_open] == 7);
  auto [ok3, failed3] = submit(200, 10);
  BOOST_TEST(ok3 == 10); // closed again
  BOOST_TEST(ok1 == 0);
}

BOOST_AUTO_TEST_CASE(a_stopping_breaker_answers_the_calls_in_flight) {
  script->mode = "hang";
  auto o = call();
  BOOST_TEST(!o.has_value());
  anon_send_exit(breaker, caf::exit_reason::user_shutdown);
  vt.run();
  o = next<outcome>();
  BOOST_REQUIRE(o.has_value());
  BOOST_TEST((o->error.category == failure_category::unavailable));
}

BOOST_AUTO_TEST_SUITE_END()
