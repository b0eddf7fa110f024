// The dispatcher's tables and decisions without an actor system: plain calls with the time as an
// argument, and the actions they leave for the actor.
#include <map>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/make_message.hpp>

#include "dispatch/dispatcher_state.hpp"

using namespace herd;

namespace {

constexpr uint64_t agent_a = 1;
constexpr uint64_t agent_b = 2;

/// A state with a small intake and a 1 s lease timeout, and helpers that read its actions.
struct state_fixture {
  metrics_registry metrics;
  dispatcher_config config;
  time_point now = time_point{} + from_ms(1000000);

  state_fixture() {
    config.lease_timeout = from_ms(1000);
    config.intake_capacity = 3;
  }

  herd::dispatcher_state make(bool retries = false) {
    return dispatcher_state{config, metrics, retries};
  }

  /// Lease ids handed to each agent by the last calls.
  static std::map<uint64_t, std::vector<uint64_t>> leases(dispatcher_state& state) {
    std::map<uint64_t, std::vector<uint64_t>> result;
    for (auto& batch : state.actions().leases)
      for (auto id : batch.msg.get_as<std::vector<uint64_t>>(1))
        result[batch.agent].push_back(id);
    return result;
  }

  /// The tasks of the lease messages for `agent` in the last calls.
  static std::vector<task> leased_tasks(dispatcher_state& state, uint64_t agent) {
    std::vector<task> result;
    for (auto& batch : state.actions().leases)
      if (batch.agent == agent)
        for (auto& t : batch.msg.get_as<std::vector<task>>(2))
          result.push_back(t);
    return result;
  }

  submit_decision submit(dispatcher_state& state, const std::string& id,
                         const std::string& pool = "default") {
    auto t = task::make(id, "read_only");
    t.pool = pool;
    return state.submit(t, now);
  }
};

outcome success() {
  return outcome::success({{"ok", true}});
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(dispatcher_state, state_fixture)

BOOST_AUTO_TEST_CASE(routes_to_the_least_loaded_agent_within_its_concurrency) {
  auto state = make();
  state.join(agent_a, "default", "a", 2, now);
  state.join(agent_b, "default", "b", 1, now);
  std::map<uint64_t, size_t> held;
  for (auto id : {"t1", "t2", "t3"}) {
    BOOST_TEST((submit(state, id).what == submit_decision::verdict::accepted));
    for (auto& [agent, ids] : leases(state))
      held[agent] += ids.size();
    state.actions().clear();
  }
  // t1 and t2 go to the idle agents, t3 to the one with room left.
  BOOST_TEST(held[agent_a] == 2u);
  BOOST_TEST(held[agent_b] == 1u);
  submit(state, "t4");
  BOOST_TEST(state.actions().leases.empty());
  BOOST_TEST(state.stats().leased == 3u);
  BOOST_TEST(state.stats().queued == 1u);
  BOOST_TEST(state.stats().balanced());
}

BOOST_AUTO_TEST_CASE(leasing_later_names_the_pool_as_a_reminder) {
  auto state = make();
  state.join(agent_a, "default", "a", 4, now);
  state.lease_later([] { return true; });
  submit(state, "t1");
  submit(state, "t2");
  BOOST_TEST(state.actions().leases.empty());
  BOOST_TEST(state.actions().reminders == std::vector<std::string>{"default"});
  state.actions().clear();
  state.lease_pool("default", now);
  // One message carries both tasks.
  BOOST_REQUIRE(state.actions().leases.size() == 1u);
  BOOST_TEST(leases(state)[agent_a].size() == 2u);
  BOOST_TEST(state.actions().arm_timer);
  BOOST_TEST((state.actions().timer_due == now + config.lease_timeout));
}

BOOST_AUTO_TEST_CASE(a_full_intake_rejects_with_its_reason) {
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  for (auto id : {"t1", "t2", "t3", "t4"})
    BOOST_TEST((submit(state, id).what == submit_decision::verdict::accepted));
  // t1 is leased, t2..t4 fill the intake of 3.
  auto full = submit(state, "t5");
  BOOST_TEST((full.what == submit_decision::verdict::rejected));
  BOOST_TEST((full.error == errc::intake_full));
  BOOST_TEST(full.reason.find("intake queue full: 3 tasks waiting") != std::string::npos);
  auto unknown = submit(state, "t6", "nowhere");
  BOOST_TEST((unknown.error == errc::unknown_pool));
  BOOST_TEST(unknown.reason.find("nowhere") != std::string::npos);
  auto nameless = submit(state, "");
  BOOST_TEST((nameless.error == errc::invalid_task));
  // An id is written to logs and records: a line break in it would forge a log line.
  auto forged = submit(state, "t8\n2026-12-01 INFO task t9 completed");
  BOOST_TEST((forged.error == errc::invalid_task));
  BOOST_TEST(forged.reason.find("control characters") != std::string::npos);
  BOOST_TEST(forged.reason.find("t9") == std::string::npos);
  BOOST_TEST(state.stats().rejected == 4u);
  BOOST_TEST(state.stats().accepted == 4u);
  // A draining dispatcher takes nothing new.
  state.drain();
  BOOST_TEST((submit(state, "t7").error == errc::shutting_down));
}

BOOST_AUTO_TEST_CASE(every_rejection_code_has_its_name) {
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  std::vector<std::pair<submit_decision, std::string>> rejections;
  rejections.emplace_back(submit(state, ""), "invalid_task");
  rejections.emplace_back(submit(state, "t1", "nowhere"), "unknown_pool");
  for (auto id : {"t1", "t2", "t3", "t4"})
    submit(state, id);
  rejections.emplace_back(submit(state, "t5"), "intake_full");
  state.drain();
  rejections.emplace_back(submit(state, "t6"), "shutting_down");
  for (auto& [decision, name] : rejections) {
    BOOST_TEST((decision.what == submit_decision::verdict::rejected));
    BOOST_TEST(to_string(decision.error) == name);
    BOOST_TEST(!decision.reason.empty());
    auto text = render_errc(static_cast<uint8_t>(decision.error), caf::atom("herd"),
                            caf::make_message(decision.reason));
    BOOST_TEST(text == "herd: " + name + ": " + decision.reason);
  }
}

BOOST_AUTO_TEST_CASE(a_completed_id_answers_its_recorded_outcome) {
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  auto first = submit(state, "t1");
  auto lease = leases(state)[agent_a].at(0);
  state.actions().clear();
  auto again = submit(state, "t1");
  BOOST_TEST((again.what == submit_decision::verdict::joined));
  BOOST_TEST(again.waiters == first.waiters);
  auto result = success();
  BOOST_TEST(state.report(lease, result, now));
  BOOST_REQUIRE(state.actions().settled.size() == 1u);
  BOOST_TEST(state.actions().settled[0].waiters == first.waiters);
  BOOST_TEST(state.actions().settled[0].result().task_id == "t1");
  BOOST_TEST(state.actions().settled[0].result().agent == "a");
  state.actions().clear();
  auto known = submit(state, "t1");
  BOOST_TEST((known.what == submit_decision::verdict::known));
  BOOST_REQUIRE(known.known_outcome.has_value());
  BOOST_TEST(known.known_outcome->ok());
  BOOST_TEST(known.known_outcome->result_json()["ok"] == true);
  BOOST_TEST(known.known_outcome->agent == "a");
  BOOST_TEST(state.actions().leases.empty());
  BOOST_TEST(state.stats().completed == 1u);
  BOOST_TEST(state.stats().duplicates == 2u);
}

BOOST_AUTO_TEST_CASE(an_expired_lease_is_reported_requeued_and_its_late_result_ignored) {
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  submit(state, "t1");
  auto lease = leases(state)[agent_a].at(0);
  BOOST_REQUIRE(state.actions().arm_timer);
  auto generation = state.actions().timer_generation;
  state.actions().clear();
  state.expire(generation, now + from_ms(999));
  BOOST_TEST(state.actions().stuck.empty());
  // An early tick re-arms the timer with a new generation; the old one is ignored from then on.
  BOOST_REQUIRE(state.actions().arm_timer);
  BOOST_TEST((state.actions().timer_due == now + from_ms(1000)));
  state.expire(generation, now + from_ms(1000));
  BOOST_TEST(state.actions().stuck.empty());
  generation = state.actions().timer_generation;
  state.actions().clear();
  state.expire(generation, now + from_ms(1000));
  BOOST_REQUIRE(state.actions().stuck.size() == 1u);
  BOOST_TEST(state.actions().stuck[0].agent == "a");
  BOOST_TEST(state.actions().stuck[0].task_id == "t1");
  // The agent's slot stays busy until its late result comes in.
  BOOST_TEST(state.actions().leases.empty());
  BOOST_TEST(state.stats().leases_expired == 1u);
  BOOST_TEST(state.stats().requeued == 1u);
  BOOST_TEST(state.stats().queued == 1u);
  state.actions().clear();
  auto late = success();
  BOOST_TEST(!state.report(lease, late, now + from_ms(1500)));
  BOOST_TEST(state.actions().settled.empty());
  BOOST_TEST(state.stats().stale_reports == 1u);
  state.release_abandoned(agent_a, lease, now + from_ms(1500));
  auto again = leased_tasks(state, agent_a);
  BOOST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].id == "t1");
  BOOST_TEST(again[0].attempt == 2);
  BOOST_REQUIRE(again[0].history.size() == 1u);
  BOOST_TEST(again[0].history[0].agent == "a");
  BOOST_TEST(state.stats().balanced());
}

BOOST_AUTO_TEST_CASE(isolation_requeues_to_another_agent_and_ignores_late_results) {
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  state.join(agent_b, "default", "b", 1, now);
  submit(state, "t1");
  auto lease = leases(state)[agent_a].at(0);
  state.actions().clear();
  state.isolate(agent_a, now);
  BOOST_TEST(state.stats().isolated == 1u);
  auto moved = leased_tasks(state, agent_b);
  BOOST_REQUIRE(moved.size() == 1u);
  BOOST_TEST(moved[0].id == "t1");
  auto moved_lease = leases(state)[agent_b].at(0);
  state.actions().clear();
  auto late = success();
  BOOST_TEST(!state.report(lease, late, now));
  BOOST_TEST(state.actions().settled.empty());
  // An isolated agent gets nothing new.
  submit(state, "t2");
  BOOST_TEST(state.actions().leases.empty());
  state.resume(agent_a, now);
  BOOST_TEST(state.stats().isolated == 0u);
  state.release_abandoned(agent_a, lease, now);
  BOOST_TEST(leases(state)[agent_a].size() == 1u);
  auto result = success();
  BOOST_TEST(state.report(moved_lease, result, now));
  BOOST_TEST(state.actions().settled.back().result().agent == "b");
  BOOST_TEST(state.stats().balanced());
}

BOOST_AUTO_TEST_CASE(failures_wait_for_the_retry_scheduler_or_end_as_failed) {
  auto with_retries = make(true);
  with_retries.join(agent_a, "default", "a", 1, now);
  auto t = task::make("t1", "read_only");
  t.service = "llm";
  with_retries.submit(t, now);
  auto lease = leases(with_retries)[agent_a].at(0);
  with_retries.actions().clear();
  auto failed = outcome::fail(failure::transient("503"));
  with_retries.report(lease, failed, now);
  BOOST_REQUIRE(with_retries.actions().retries.size() == 1u);
  BOOST_TEST(with_retries.actions().retries[0].history.back().error.message == "503");
  BOOST_TEST(with_retries.actions().settled.empty());
  BOOST_TEST(with_retries.stats().waiting == 1u);
  auto retry = with_retries.actions().retries[0];
  with_retries.actions().clear();
  with_retries.resubmit(retry, now);
  lease = leases(with_retries)[agent_a].at(0);
  auto ok = success();
  with_retries.report(lease, ok, now);
  BOOST_REQUIRE(with_retries.actions().successes.size() == 1u);
  BOOST_TEST(with_retries.actions().successes[0].service == "llm");
  BOOST_TEST(with_retries.actions().successes[0].count == 1);
  BOOST_TEST(with_retries.stats().completed == 1u);

  auto alone = make(false);
  alone.join(agent_a, "default", "a", 1, now);
  submit(alone, "t1");
  lease = leases(alone)[agent_a].at(0);
  alone.actions().clear();
  failed = outcome::fail(failure::transient("503"));
  alone.report(lease, failed, now);
  BOOST_TEST(alone.actions().retries.empty());
  BOOST_REQUIRE(alone.actions().settled.size() == 1u);
  BOOST_TEST((alone.actions().settled[0].result().status == outcome_status::failed));
  BOOST_TEST(alone.stats().failed == 1u);
}

BOOST_AUTO_TEST_CASE(a_kind_without_a_policy_is_refused_naming_the_kind_and_the_fix) {
  config.kinds = {"default", "payment"};
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  // A misspelled "payment" would have been retried five times by the default policy.
  auto payments = task::make("p1", "payments");
  auto refused = state.submit(payments, now);
  BOOST_TEST((refused.what == submit_decision::verdict::rejected));
  BOOST_TEST((refused.error == errc::unknown_kind));
  BOOST_TEST(refused.reason.find("task kind \"payments\"") != std::string::npos);
  BOOST_TEST(refused.reason.find("default, payment") != std::string::npos);
  BOOST_TEST(refused.reason.find("\"policies\"") != std::string::npos);
  BOOST_TEST(refused.reason.find("fallback_policy") != std::string::npos);
  BOOST_TEST(state.stats().rejected == 1u);
  BOOST_TEST(state.actions().leases.empty());
  auto payment = task::make("p1", "payment");
  BOOST_TEST((state.submit(payment, now).what == submit_decision::verdict::accepted));
  BOOST_TEST(to_string(errc::unknown_kind) == "unknown_kind");
}

BOOST_AUTO_TEST_CASE(without_kinds_every_kind_is_accepted) {
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  auto t = task::make("t1", "anything");
  BOOST_TEST((state.submit(t, now).what == submit_decision::verdict::accepted));
}

BOOST_AUTO_TEST_CASE(a_task_without_a_service_takes_its_failures_and_its_kind_refunds_it) {
  auto state = make(true);
  state.join(agent_a, "default", "a", 1, now);
  auto order = task::make("o1", "order");
  state.submit(order, now);
  auto lease = leases(state)[agent_a].at(0);
  state.actions().clear();
  auto failed = outcome::fail(failure::transient("421 try later").from("smtp", 421));
  state.report(lease, failed, now);
  // The retry (and a dead letter made of it) names the service its error came from.
  BOOST_REQUIRE(state.actions().retries.size() == 1u);
  BOOST_TEST(state.actions().retries[0].service == "smtp");
  state.actions().clear();
  // Another order that names no service succeeds at once: smtp answered it.
  auto next = task::make("o2", "order");
  state.submit(next, now);
  lease = leases(state)[agent_a].at(0);
  state.actions().clear();
  auto ok = success();
  state.report(lease, ok, now);
  BOOST_REQUIRE(state.actions().successes.size() == 1u);
  BOOST_TEST(state.actions().successes[0].service == "smtp");
  // A kind that never failed refunds nobody; a task's own service is kept.
  auto named = task::make("r1", "read_only", nullptr, "default", "llm");
  BOOST_TEST(named.service == "llm");
  state.actions().clear();
  state.submit(named, now);
  lease = leases(state)[agent_a].at(0);
  state.actions().clear();
  auto elsewhere = outcome::fail(failure::transient("503").from("search"));
  state.report(lease, elsewhere, now);
  BOOST_REQUIRE(state.actions().retries.size() == 1u);
  BOOST_TEST(state.actions().retries[0].service == "llm");
}

BOOST_AUTO_TEST_CASE(drain_and_handback_account_for_every_task) {
  config.intake_capacity = 10;
  auto state = make(true);
  state.join(agent_a, "default", "a", 2, now);
  for (auto id : {"t1", "t2", "t3", "t4"})
    submit(state, id);
  auto held = leases(state)[agent_a];
  state.actions().clear();
  auto ok = success();
  state.report(held[0], ok, now);
  auto failed = outcome::fail(failure::transient("503"));
  state.report(held[1], failed, now);
  state.actions().clear();
  // t3 and t4 are leased, t2 waits for a retry.
  BOOST_TEST(!state.drain());
  auto s = state.stats();
  BOOST_TEST(s.accepted + s.reentered == s.settled() + s.pending());
  auto unfinished = state.hand_back(now);
  BOOST_TEST(unfinished.size() == 2u);
  BOOST_TEST(state.actions().settled.size() == 2u);
  for (auto& settled : state.actions().settled)
    BOOST_TEST((settled.result().status == outcome_status::handed_back));
  BOOST_TEST(!state.actions().drained);
  state.actions().clear();
  outcome dead;
  dead.task_id = "t2";
  dead.status = outcome_status::dead_lettered;
  state.settle_waiting(dead, now);
  BOOST_TEST(state.actions().drained);
  s = state.stats();
  BOOST_TEST(s.pending() == 0u);
  BOOST_TEST(s.handed_back == 2u);
  BOOST_TEST(s.dead_lettered == 1u);
  BOOST_TEST(s.accepted + s.reentered == s.settled() + s.pending());
  BOOST_TEST(state.drain());
}

BOOST_AUTO_TEST_CASE(completed_ids_are_evicted_oldest_first) {
  config.completed_capacity = 2;
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  for (auto id : {"t1", "t2", "t3"}) {
    submit(state, id);
    auto lease = leases(state)[agent_a].at(0);
    auto ok = success();
    state.report(lease, ok, now);
    state.actions().clear();
  }
  BOOST_TEST((submit(state, "t2").what == submit_decision::verdict::known));
  BOOST_TEST((submit(state, "t3").what == submit_decision::verdict::known));
  BOOST_TEST((submit(state, "t1").what == submit_decision::verdict::accepted));
}

BOOST_AUTO_TEST_CASE(a_retiring_agent_gets_no_new_lease_and_keeps_the_ones_it_holds) {
  config.intake_capacity = 10;
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  state.join(agent_b, "default", "b", 1, now);
  submit(state, "t1");
  submit(state, "t2");
  auto held = leases(state);
  BOOST_REQUIRE(held[agent_a].size() == 1u);
  state.actions().clear();
  state.retire(agent_a);
  BOOST_TEST(*state.in_flight(agent_a) == 1u);
  submit(state, "t3");
  BOOST_TEST(leases(state).empty()); // b is busy, a retires: t3 waits
  auto load = state.load_of("default");
  BOOST_TEST(load.queued == 1u);
  BOOST_TEST(load.leased == 2u);
  BOOST_TEST(load.busy == 2u);
  BOOST_TEST(load.agents == 1u); // the retiring agent takes no lease
  state.actions().clear();
  auto ok = outcome::success("done");
  BOOST_TEST(state.report(held[agent_a].front(), ok, now));
  BOOST_TEST(*state.in_flight(agent_a) == 0u);
  BOOST_TEST(leases(state).empty()); // still not to a
  state.remove(agent_a, "retired", now);
  BOOST_TEST(state.stats().requeued == 0u);
  BOOST_TEST(!state.in_flight(agent_a));
  BOOST_TEST(state.stats().balanced());
}

BOOST_AUTO_TEST_CASE(memory_pressure_refuses_submits_apart_from_an_operators_pause) {
  auto state = make();
  state.join(agent_a, "default", "a", 1, now);
  state.pause_for_memory(true, "resident memory is above the hard limit");
  auto refused = submit(state, "t1");
  BOOST_TEST((refused.what == submit_decision::verdict::rejected));
  BOOST_TEST((refused.error == errc::memory_pressure));
  BOOST_TEST(refused.reason.find("hard limit") != std::string::npos, refused.reason);
  BOOST_TEST(!state.stats().intake_paused); // the operator's lever is untouched
  state.pause_for_memory(false, "");
  BOOST_TEST((submit(state, "t2").what == submit_decision::verdict::accepted));
}

BOOST_AUTO_TEST_SUITE_END()
