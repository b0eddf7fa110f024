// The dispatcher in virtual time: routing, leases, re-queues, isolation, idempotency, bounded
// intake and the accounting that proves no accepted task is lost.
#include "actors/dispatch/dispatcher_fixture.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/retry/protocol.hpp"

using namespace herd;
using namespace herd::test;

BOOST_FIXTURE_TEST_SUITE(dispatcher, dispatcher_fixture)

BOOST_AUTO_TEST_CASE(tasks_reach_agents_and_outcomes_reach_submitters) {
  start();
  add<echo_agent>("a", 1, runs);
  add<echo_agent>("b", 1, runs);
  for (int i = 0; i < 10; ++i)
    submit("t" + std::to_string(i), {{"n", i}});
  vt.run();
  for (int i = 0; i < 10; ++i) {
    auto o = next<outcome>();
    BOOST_REQUIRE(o);
    BOOST_TEST(o->ok());
    BOOST_TEST(o->result_json()["echo"]["n"].is_number());
  }
  auto s = stats();
  BOOST_TEST(s.completed == 10u);
  BOOST_TEST(s.pending() == 0u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(least_loaded_agent_within_its_concurrency) {
  start();
  auto a = add<silent_agent>("a", 2);
  auto b = add<silent_agent>("b", 2);
  submit("t1");
  submit("t2");
  vt.run();
  // One each: the second goes to the agent with fewer tasks in flight.
  BOOST_TEST(deref<silent_agent>(a).tasks_in_flight() == 1u);
  BOOST_TEST(deref<silent_agent>(b).tasks_in_flight() == 1u);
  submit("t3");
  submit("t4");
  submit("t5");
  vt.run();
  auto s = stats();
  BOOST_TEST(s.leased == 4u);
  BOOST_TEST(s.queued == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(expired_lease_requeues_the_task_and_ignores_the_late_result) {
  start();
  auto stuck = add<silent_agent>("stuck");
  submit("t1");
  vt.run();
  add<echo_agent>("healthy", 1, runs);
  BOOST_TEST(!next<outcome>());
  vt.advance(config.lease_timeout);
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(o->agent == "healthy");
  BOOST_TEST(o->attempt == 2);
  // The stuck agent finishes after all: its result is stale and ignored.
  caf::anon_send(stuck, call_atom::value);
  vt.run();
  BOOST_TEST(!next<outcome>());
  auto s = stats();
  BOOST_TEST(s.leases_expired == 1u);
  BOOST_TEST(s.requeued == 1u);
  BOOST_TEST(s.stale_reports == 1u);
  BOOST_TEST(s.completed == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(dead_agents_leases_are_requeued) {
  start();
  auto doomed = add<silent_agent>("doomed");
  submit("t1");
  vt.run();
  add<echo_agent>("survivor", 1, runs);
  caf::anon_send_exit(doomed, caf::exit_reason::kill);
  vt.run();
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(o->agent == "survivor");
  auto s = stats();
  BOOST_TEST(s.agents == 1u);
  BOOST_TEST(s.requeued == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(a_task_id_runs_once) {
  start();
  add<echo_agent>("a", 1, runs);
  submit("same");
  submit("same"); // while pending: waits for the same outcome
  vt.run();
  submit("same"); // after completion: the recorded outcome
  vt.run();
  auto first = next<outcome>();
  BOOST_REQUIRE(first);
  BOOST_TEST(first->ok());
  BOOST_TEST(first->task_id == "same");
  BOOST_TEST(first->agent == "a");
  for (int i = 0; i < 2; ++i) {
    auto o = next<outcome>();
    BOOST_REQUIRE(o);
    BOOST_TEST((*o == *first));
  }
  BOOST_TEST((*runs)["same"] == 1);
  auto s = stats();
  BOOST_TEST(s.accepted == 1u);
  BOOST_TEST(s.duplicates == 2u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(completed_ids_are_forgotten_oldest_first_beyond_the_capacity) {
  config.completed_capacity = 2;
  start();
  add<echo_agent>("a", 1, runs);
  for (auto id : {"x", "y", "z"}) {
    submit(id);
    vt.run();
    BOOST_REQUIRE(next<outcome>());
  }
  submit("z"); // still recorded
  submit("x"); // evicted: runs again
  vt.run();
  for (int i = 0; i < 2; ++i)
    BOOST_REQUIRE(next<outcome>());
  BOOST_TEST((*runs)["z"] == 1);
  BOOST_TEST((*runs)["x"] == 2);
  auto s = stats();
  BOOST_TEST(s.accepted == 4u);
  BOOST_TEST(s.duplicates == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(a_full_intake_rejects_with_a_reason) {
  config.intake_capacity = 2;
  start();
  add<silent_agent>("busy");
  submit("leased");
  vt.run();
  submit("q1");
  submit("q2");
  submit("refused");
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err);
  BOOST_TEST((*err == errc::intake_full));
  auto text = sys.render(*err);
  BOOST_TEST(text.find("intake queue full: 2 tasks waiting") != std::string::npos, text);
  auto s = stats();
  BOOST_TEST(s.accepted == 3u);
  BOOST_TEST(s.rejected == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(unknown_pool_and_missing_id_are_rejected) {
  start();
  self->send(dispatcher, submit_atom::value, task::make("x", "read_only", nullptr, "nowhere"));
  self->send(dispatcher, submit_atom::value, task::make("", "read_only"));
  vt.run();
  auto first = next_error();
  auto second = next_error();
  BOOST_REQUIRE(first);
  BOOST_REQUIRE(second);
  BOOST_TEST((*first == errc::unknown_pool));
  BOOST_TEST((*second == errc::invalid_task));
}

BOOST_AUTO_TEST_CASE(an_enqueue_is_acknowledged_with_the_id_before_the_outcome) {
  start();
  auto agent = add<silent_agent>("a");
  self->send(dispatcher, enqueue_atom::value, task::make("e1", "read_only"));
  self->send(dispatcher, enqueue_atom::value, task::make("e1", "read_only")); // a duplicate
  self->send(dispatcher, enqueue_atom::value, task::make("e2", "read_only", nullptr, "nowhere"));
  vt.run();
  for (int i = 0; i < 2; ++i) {
    auto id = next<std::string>();
    BOOST_REQUIRE(id);
    BOOST_TEST(*id == "e1");
  }
  auto refused = next_error();
  BOOST_REQUIRE(refused);
  BOOST_TEST((*refused == errc::unknown_pool));
  BOOST_TEST(deref<silent_agent>(agent).tasks_in_flight() == 1u); // it runs once, acknowledged
  auto s = stats();
  BOOST_TEST(s.accepted == 1u);
  BOOST_TEST(s.duplicates == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(a_draining_dispatcher_rejects_with_a_rendered_reason) {
  start();
  self->send(dispatcher, drain_atom::value);
  vt.run();
  BOOST_TEST(next<dispatcher_stats>().has_value());
  submit("late");
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err);
  BOOST_TEST((*err == errc::shutting_down));
  BOOST_TEST(sys.render(*err) ==
             "herd: shutting_down: the runtime is shutting down and accepts no tasks");
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_handler_is_an_unknown_failure) {
  start();
  auto a = add<throwing_agent>("thrower");
  submit("t1");
  submit("t2");
  vt.run();
  for (auto id : {"t1", "t2"}) {
    auto o = next<outcome>();
    BOOST_REQUIRE(o);
    BOOST_TEST(o->task_id == id);
    BOOST_TEST((o->status == outcome_status::failed));
    BOOST_TEST((o->error.category == failure_category::unknown));
    BOOST_TEST(o->error.message.find("model returned garbage") != std::string::npos);
  }
  // The agent lives on and still serves.
  BOOST_TEST(stats().agents == 1u);
}

BOOST_AUTO_TEST_CASE(isolation_requeues_leases_and_resume_restores_the_agent) {
  start();
  auto suspect = add<silent_agent>("suspect");
  submit("t1");
  vt.run();
  add<echo_agent>("healthy", 1, runs);
  self->send(dispatcher, isolate_atom::value, suspect);
  vt.run();
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->agent == "healthy");
  BOOST_TEST(stats().isolated == 1u);
  self->send(dispatcher, resume_atom::value, suspect);
  vt.run();
  auto s = stats();
  BOOST_TEST(s.isolated == 0u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(a_task_that_hangs_every_agent_ends_after_max_requeues) {
  config.max_requeues = 2;
  start();
  add<silent_agent>("a");
  add<silent_agent>("b");
  add<silent_agent>("c");
  submit("poison");
  vt.run();
  for (int i = 0; i < 3; ++i)
    vt.advance(config.lease_timeout);
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST((o->status == outcome_status::failed));
  BOOST_TEST((o->error.category == failure_category::timeout));
  auto s = stats();
  BOOST_TEST(s.leases_expired == 3u);
  BOOST_TEST(s.failed == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(a_stopped_dispatcher_answers_whoever_still_waits) {
  // Before: the submitter of a task in flight waited forever once the dispatcher was gone
  // (CAF 0.17 answers only the requests still in a stopped actor's mailbox).
  start();
  add<silent_agent>("a");
  submit("in-flight");
  vt.run();
  BOOST_TEST(!next<outcome>());
  caf::anon_send_exit(dispatcher, caf::exit_reason::kill);
  vt.run();
  auto e = next_error();
  BOOST_REQUIRE(e);
  BOOST_TEST((*e == caf::sec::request_receiver_down));
}

BOOST_AUTO_TEST_CASE(failed_attempts_go_to_the_sink_which_resubmits_or_settles) {
  failures = failed_attempts::retry;
  start();
  add<failing_agent>("a");
  self->send(dispatcher, connect_retry_atom::value, caf::actor{self});
  submit("retry-me", {{"fail", "transient"}});
  submit("give-up", {{"fail", "permanent"}});
  vt.run();
  std::vector<task> failed;
  for (int i = 0; i < 2; ++i)
    self->receive([&](retry_atom, task& t) { failed.push_back(t); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_REQUIRE(failed.size() == 2u);
  BOOST_TEST(failed[0].history.size() == 1u);
  BOOST_TEST((failed[0].history[0].error.category == failure_category::transient));
  BOOST_TEST(failed[0].history[0].agent == "a");
  BOOST_TEST(stats().waiting == 2u);
  // The retry: attempt 2, and this time it succeeds.
  auto retry = failed[0];
  retry.attempt = 2;
  retry.set_payload("fine now");
  self->send(dispatcher, resubmit_atom::value, retry);
  // The other ends in the dead-letter queue.
  outcome dead;
  dead.task_id = "give-up";
  dead.status = outcome_status::dead_lettered;
  dead.error = failed[1].history.back().error;
  self->send(dispatcher, settle_atom::value, dead);
  vt.run();
  std::map<std::string, outcome> outcomes;
  for (int i = 0; i < 2; ++i)
    if (auto o = next<outcome>())
      outcomes[o->task_id] = *o;
  BOOST_REQUIRE(outcomes.size() == 2u);
  BOOST_TEST(outcomes["retry-me"].ok());
  BOOST_TEST(outcomes["retry-me"].attempt == 2);
  BOOST_TEST((outcomes["give-up"].status == outcome_status::dead_lettered));
  auto s = stats();
  BOOST_TEST(s.completed == 1u);
  BOOST_TEST(s.dead_lettered == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(the_retry_scheduler_connects_once) {
  failures = failed_attempts::retry;
  start();
  self->send(dispatcher, connect_retry_atom::value, caf::actor{self});
  vt.run();
  BOOST_TEST(!next_error());
  self->send(dispatcher, connect_retry_atom::value, caf::actor{self});
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err);
  BOOST_TEST((*err == errc::invalid_config));
  BOOST_TEST(sys.render(*err).find("already") != std::string::npos, sys.render(*err));
}

BOOST_AUTO_TEST_CASE(a_dispatcher_that_ends_failed_tasks_takes_no_retry_scheduler) {
  start();
  self->send(dispatcher, connect_retry_atom::value, caf::actor{self});
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err);
  BOOST_TEST((*err == errc::invalid_config));
}

BOOST_AUTO_TEST_CASE(expired_leases_are_published_to_subscribers) {
  start();
  add<silent_agent>("mute");
  self->send(dispatcher, subscribe_atom::value, caf::actor{self});
  submit("t1");
  vt.run();
  vt.advance(config.lease_timeout);
  std::vector<std::pair<std::string, std::string>> stuck;
  self->receive([&](stuck_atom, std::string& agent,
                    std::string& task_id) { stuck.emplace_back(agent, task_id); },
                caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_REQUIRE(stuck.size() == 1u);
  BOOST_TEST(stuck[0].first == "mute");
  BOOST_TEST(stuck[0].second == "t1");
  // Unsubscribed, the next expiry (on a second silent agent) is not published.
  self->send(dispatcher, unsubscribe_atom::value, caf::actor{self});
  add<silent_agent>("mute-too");
  vt.advance(config.lease_timeout);
  auto more = false;
  self->receive([&](stuck_atom, std::string&, std::string&) { more = true; },
                caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_TEST(!more);
  BOOST_TEST(stats().leases_expired == 2u);
}

BOOST_AUTO_TEST_CASE(drain_answers_once_every_accepted_task_is_done) {
  start();
  add<echo_agent>("a", 1, runs);
  for (int i = 0; i < 5; ++i)
    submit("t" + std::to_string(i));
  self->send(dispatcher, drain_atom::value);
  submit("too-late");
  vt.run();
  int completed = 0;
  bool drained = false;
  bool refused = false;
  for (int i = 0; i < 7; ++i)
    self->receive([&](outcome& o) { completed += o.ok() ? 1 : 0; },
                  [&](dispatcher_stats& s) {
                    drained = true;
                    BOOST_TEST(s.completed == 5u);
                    BOOST_TEST(s.pending() == 0u);
                    BOOST_TEST(s.balanced());
                  },
                  [&](caf::error& e) { refused = (e == errc::shutting_down); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_TEST(completed == 5);
  BOOST_TEST(drained);
  BOOST_TEST(refused);
}

BOOST_AUTO_TEST_CASE(handback_returns_every_unfinished_task) {
  start();
  add<silent_agent>("stuck");
  submit("held");
  submit("queued");
  vt.run();
  self->send(dispatcher, handback_atom::value);
  vt.run();
  std::vector<task> unfinished;
  int handed_back = 0;
  for (int i = 0; i < 3; ++i)
    self->receive([&](std::vector<task>& ts) { unfinished = ts; },
                  [&](outcome& o) { handed_back += o.status == outcome_status::handed_back; },
                  caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_TEST(unfinished.size() == 2u);
  BOOST_TEST(handed_back == 2);
  auto s = stats();
  BOOST_TEST(s.handed_back == 2u);
  BOOST_TEST(s.pending() == 0u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_SUITE_END()
