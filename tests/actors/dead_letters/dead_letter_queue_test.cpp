// The dead-letter queue actor: acknowledged means committed, group commit, replay at a rate in
// virtual time and oldest first, re-failure and poison, cancel, depth alerts, and replay
// requests that `herd dlq replay` left in the database.
#include "herd/dead_letters/dead_letter_queue.hpp"

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/test_agents.hpp"
#include "dispatch/dispatcher.hpp"
#include "herd/core/atoms.hpp"
#include "herd/dead_letters/dead_letter_errc.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/retry/protocol.hpp"
#include "spawn_function.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

struct dlq_fixture : test::virtual_time_fixture {
  test::temp_dir dir;
  std::string db = dir.file("dlq.db");
  /// What an operator sees: a connection of its own beside the queue's.
  std::unique_ptr<dead_letter_store> store = std::make_unique<dead_letter_store>(db);
  std::shared_ptr<int64_t> wall = std::make_shared<int64_t>(1000);
  dead_letter_queue_config config;
  dead_letter_queue_actor dlq;

  dlq_fixture() { config.poll_interval = duration{0}; }

  ~dlq_fixture() { stop(dlq); }

  /// Spawns the queue with `config`, replaying to `self`; the wall clock ticks 1 ms per read.
  void start() {
    auto clock = [w = wall] { return (*w)++; };
    dlq = sys.spawn<dead_letter_queue>(config, std::make_unique<dead_letter_store>(db),
                                       caf::actor{self}, metrics, clock);
    vt.run();
  }

  /// Stores `t` through the queue and waits for the acknowledgement.
  void add(task t, dead_letter_reason why = dead_letter_reason::exhausted) {
    self->send(dlq, dead_letter_atom::value, std::move(t), why);
    vt.run();
    BOOST_REQUIRE(next<caf::ok_atom>());
  }

  /// The tasks the queue resubmitted to the dispatcher (`self`) since the last call.
  std::vector<task> resubmitted() {
    std::vector<task> result;
    bool more = true;
    while (more)
      self->receive([&](resubmit_atom, task& t) { result.push_back(std::move(t)); },
                    caf::after(0s) >> [&] { more = false; });
    return result;
  }

  static std::vector<std::string> ids(const std::vector<task>& xs) {
    std::vector<std::string> result;
    for (auto& x : xs)
      result.push_back(x.id);
    return result;
  }

  replay_request replay(dead_letter_filter filter, double rate) {
    self->send(dlq, dlq_replay_atom::value, std::move(filter), rate);
    vt.run();
    auto result = next<replay_request>();
    BOOST_REQUIRE(result);
    return *result;
  }

  dead_letter_status status_of(const std::string& id) { return store->get(id)->status; }
};

using strings = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(dlq_actor, dlq_fixture)

BOOST_AUTO_TEST_CASE(letters_arriving_together_share_one_commit_and_are_acked_after_it) {
  start();
  for (int i = 0; i < 50; ++i)
    self->send(dlq, dead_letter_atom::value, test::failed_task("t-" + std::to_string(i)),
               dead_letter_reason::exhausted);
  vt.run();
  int acks = 0;
  while (next<caf::ok_atom>())
    ++acks;
  BOOST_TEST(acks == 50);
  BOOST_TEST(metrics->counter("herd_dlq_commits_total", "").value() == 1u);
  dead_letter_store reader{db, dead_letter_store::open_mode::existing};
  BOOST_TEST(reader.count({}) == 50);
  auto x = reader.get("t-7");
  BOOST_REQUIRE(x);
  auto expected = test::failed_task("t-7");
  expected.shift_times(x->work.created - expected.created); // stored on the wall clock
  BOOST_TEST((x->work == expected));
  BOOST_TEST(x->reason == dead_letter_reason::exhausted);
  BOOST_TEST(metrics->counter("herd_dlq_stored_total", "").value() == 50u);
}

BOOST_AUTO_TEST_CASE(a_replay_honours_the_rate_and_the_order) {
  start();
  for (auto id : {"e", "d", "c", "b", "a"}) // stored in this order: "e" is the oldest
    add(test::failed_task(id));
  auto request = replay({}, 2); // 2 per second: one every 500 ms
  BOOST_TEST(request.total == 5);
  BOOST_TEST(request.state == "running");
  auto first = resubmitted();
  BOOST_TEST(ids(first) == (strings{"e"}));
  BOOST_TEST(first[0].attempt == 1);
  BOOST_TEST(first[0].replays == 1);
  BOOST_TEST(first[0].history.size() == 2u); // the history stays
  BOOST_TEST(status_of("e") == dead_letter_status::replayed);
  BOOST_TEST(store->get("e")->work.replays == 1); // counted when it is sent
  BOOST_TEST(store->get("d")->work.replays == 0);
  BOOST_TEST(status_of("d") == dead_letter_status::replaying);
  vt.advance(499ms);
  BOOST_TEST(resubmitted().empty());
  vt.advance(1ms);
  BOOST_TEST(ids(resubmitted()) == (strings{"d"}));
  self->send(dlq, dlq_progress_atom::value, request.id);
  vt.run();
  auto progress = next<replay_request>();
  BOOST_REQUIRE(progress);
  BOOST_TEST(progress->sent == 2);
  BOOST_TEST(progress->total == 5);
  vt.advance(1500ms);
  BOOST_TEST(ids(resubmitted()) == (strings{"c", "b", "a"}));
  BOOST_TEST(store->replay_request_of(request.id)->state == "done");
  BOOST_TEST(store->stats().by_status["replayed"] == 5);
  BOOST_TEST(!vt.has_timer());
}

BOOST_AUTO_TEST_CASE(stored_times_are_wall_clock_utc_and_a_deadline_survives_a_reboot) {
  *wall = 1700000000000;
  start();
  auto t = test::failed_task("t");
  t.created = vt.now() - 10s;
  t.history[0].time = vt.now() - 5s;
  t.history[1].time = vt.now() - 1s;
  t.deadline = vt.now() + 60s;
  add(t);
  auto x = store->get("t");
  BOOST_REQUIRE(x);
  auto at = x->dead_lettered_ms; // the wall clock when it was stored
  BOOST_TEST(at >= 1700000000000);
  BOOST_TEST(x->last_failure_ms == at - 1000);
  BOOST_TEST(x->first_failure_ms == at - 5000);
  BOOST_TEST(to_epoch_ms(x->work.history[1].time) == at - 1000);
  BOOST_TEST(to_epoch_ms(x->work.created) == at - 10000);
  BOOST_TEST(to_epoch_ms(x->work.deadline) == at + 60000);
  // A reboot: the actor clock starts anew (3 s on it), while 20 s pass on the wall clock.
  caf::anon_send_exit(dlq, caf::exit_reason::user_shutdown);
  vt.run();
  *wall += 20000;
  vt.advance(3s);
  start();
  replay(dead_letter_filter::of_ids({"t"}), 10);
  auto back = resubmitted();
  BOOST_REQUIRE(back.size() == 1u);
  // 60 s after it was stored, 20 s of which have passed: 40 s left on the new actor clock.
  auto left = to_ms(back[0].deadline - vt.now());
  BOOST_TEST(std::abs(left - 40000) <= 10, "deadline in " << left << " ms");
  BOOST_TEST(std::abs(to_ms(vt.now() - back[0].history[1].time) - 21000) <= 10);
}

BOOST_AUTO_TEST_CASE(a_replay_that_completes_is_succeeded_not_just_replayed) {
  start();
  add(test::failed_task("ok"));
  add(test::failed_task("again"));
  replay(dead_letter_filter{}, 100);
  vt.advance(100ms);
  BOOST_TEST(resubmitted().size() == 2u);
  BOOST_TEST(store->stats().by_status["replayed"] == 2);
  // The queue asks the dispatcher (here: self) for each replayed task's end.
  int asked = 0;
  bool more = true;
  while (more)
    self->receive(
        [&](submit_atom, const task& t) -> outcome {
          ++asked;
          outcome result;
          result.task_id = t.id;
          result.status = t.id == "ok" ? outcome_status::completed : outcome_status::dead_lettered;
          return result;
        },
        caf::after(0s) >> [&] { more = false; });
  BOOST_TEST(asked == 2);
  vt.run();
  BOOST_TEST(status_of("ok") == dead_letter_status::succeeded);
  BOOST_TEST(status_of("again") == dead_letter_status::replayed); // its failure comes back
  auto s = store->stats();
  BOOST_TEST(s.by_status["succeeded"] == 1);
  BOOST_TEST(s.by_status["replayed"] == 1);
}

BOOST_AUTO_TEST_CASE(a_task_that_fails_again_comes_back_counted_and_then_as_poison) {
  config.max_replays = 2;
  start();
  add(test::failed_task("t"));
  for (int round = 1; round <= 2; ++round) {
    replay(dead_letter_filter{}, 100);
    auto back = resubmitted();
    BOOST_REQUIRE(back.size() == 1u);
    BOOST_TEST(back[0].replays == round);
    add(back[0]); // it failed again and the retry scheduler dead-letters it
    auto x = store->get("t");
    BOOST_TEST(x->work.replays == round);
    BOOST_TEST(x->status == (round < 2 ? dead_letter_status::pending : dead_letter_status::poison));
  }
  // Poison is not replayed by a filter ...
  BOOST_TEST(replay(dead_letter_filter{}, 100).total == 0);
  BOOST_TEST(resubmitted().empty());
  // ... only when an operator names it.
  BOOST_TEST(replay(dead_letter_filter::of_ids({"t"}), 100).total == 1);
  BOOST_TEST(resubmitted().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_cancelled_replay_puts_the_rest_back) {
  start();
  for (int i = 0; i < 5; ++i)
    add(test::failed_task("t-" + std::to_string(i)));
  auto request = replay({}, 1);
  vt.advance(1500ms);
  BOOST_TEST(resubmitted().size() == 2u);
  self->send(dlq, dlq_cancel_atom::value, request.id);
  vt.run();
  auto cancelled = next<replay_request>();
  BOOST_REQUIRE(cancelled);
  BOOST_TEST(cancelled->state == "cancelled");
  BOOST_TEST(cancelled->sent == 2);
  vt.advance(10s);
  BOOST_TEST(resubmitted().empty());
  auto s = store->stats();
  BOOST_TEST(s.by_status["replayed"] == 2);
  BOOST_TEST(s.by_status["pending"] == 3);
  BOOST_TEST(store->replay_request_of(request.id)->state == "cancelled");
}

BOOST_AUTO_TEST_CASE(query_resolve_purge_and_stats_through_the_actor) {
  start();
  add(test::failed_task("a", "payment"), dead_letter_reason::non_retryable);
  add(test::failed_task("b"));
  dead_letter_filter payments;
  payments.kind = "payment";
  self->send(dlq, dlq_query_atom::value, payments);
  vt.run();
  auto found = next<std::vector<dead_letter>>();
  BOOST_REQUIRE(found);
  BOOST_REQUIRE(found->size() == 1u);
  BOOST_TEST(found->at(0).reason == dead_letter_reason::non_retryable);
  self->send(dlq, dlq_resolve_atom::value, std::string{"a"}, std::string{"refunded"});
  vt.run();
  BOOST_TEST(next<bool>().value_or(false));
  self->send(dlq, dlq_stats_atom::value);
  vt.run();
  auto s = next<dead_letter_stats>();
  BOOST_REQUIRE(s);
  BOOST_TEST(s->depth == 1);
  BOOST_TEST(s->by_status["resolved"] == 1);
  dead_letter_filter resolved;
  resolved.status = "resolved";
  self->send(dlq, dlq_purge_atom::value, resolved);
  vt.run();
  BOOST_TEST(next<int64_t>().value_or(-1) == 1);
  BOOST_TEST(store->count({}) == 1);
}

BOOST_AUTO_TEST_CASE(an_unknown_letter_or_replay_is_told_apart_by_its_error_code) {
  start();
  self->send(dlq, dlq_get_atom::value, std::string{"nobody"});
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err);
  BOOST_TEST((*err == dead_letter_errc::no_such_letter));
  BOOST_TEST(sys.render(*err) == "deadletter: no_such_letter: task \"nobody\"");
  self->send(dlq, dlq_progress_atom::value, int64_t{42});
  vt.run();
  err = next_error();
  BOOST_REQUIRE(err);
  BOOST_TEST((*err == dead_letter_errc::no_such_replay));
}

BOOST_AUTO_TEST_CASE(reaching_the_depth_threshold_alerts_subscribers_once) {
  config.depth_alert = 3;
  start();
  self->send(dlq, subscribe_atom::value, caf::actor{self});
  auto alerts = [&] {
    int n = 0;
    bool more = true;
    while (more)
      self->receive(
          [&](dlq_alert_atom, int64_t depth, int64_t threshold) {
            BOOST_TEST(depth >= threshold);
            ++n;
          },
          caf::after(0s) >> [&] { more = false; });
    return n;
  };
  add(test::failed_task("a"));
  add(test::failed_task("b"));
  BOOST_TEST(alerts() == 0);
  add(test::failed_task("c"));
  BOOST_TEST(alerts() == 1);
  add(test::failed_task("d"));
  BOOST_TEST(alerts() == 0);
  BOOST_TEST(metrics->total("herd_dlq_depth") == 4); // summed over reasons
  BOOST_TEST(metrics->counter("herd_dlq_alerts_total", "").value() == 1u);
}

BOOST_AUTO_TEST_CASE(a_subscriber_with_its_own_threshold_is_alerted_once_per_crossing) {
  config.depth_alert = 0; // the queue's own alert is off; the subscriber's threshold still works
  start();
  add(test::failed_task("a"));
  self->send(dlq, subscribe_atom::value, caf::actor{self}, int64_t{2});
  vt.run();
  auto alerts = [&] {
    std::vector<std::pair<int64_t, int64_t>> seen;
    bool more = true;
    while (more)
      self->receive([&](dlq_alert_atom, int64_t depth,
                        int64_t threshold) { seen.emplace_back(depth, threshold); },
                    caf::after(0s) >> [&] { more = false; });
    return seen;
  };
  BOOST_TEST(alerts().empty());
  add(test::failed_task("b"));
  auto seen = alerts();
  BOOST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0].first == 2);
  BOOST_TEST(seen[0].second == 2);
  add(test::failed_task("c"));
  BOOST_TEST(alerts().empty()); // again only after the depth fell below
  self->send(dlq, dlq_purge_atom::value, dead_letter_filter{});
  vt.run();
  (void)next<int64_t>();
  add(test::failed_task("d"));
  add(test::failed_task("e"));
  BOOST_TEST(alerts().size() == 1u);
  BOOST_TEST(metrics->counter("herd_dlq_alerts_total", "").value() == 0u);
}

BOOST_AUTO_TEST_CASE(the_depth_follows_what_is_stored_and_replayed_and_what_another_process_did) {
  config.poll_interval = 1s;
  start();
  auto depth = [&](const std::string& reason) {
    return metrics->gauge("herd_dlq_depth", "", {{"reason", reason}}).value();
  };
  add(test::failed_task("a"));
  add(test::failed_task("b"), dead_letter_reason::overflow);
  add(test::failed_task("c"), dead_letter_reason::overflow);
  BOOST_TEST(depth("exhausted") == 1);
  BOOST_TEST(depth("overflow") == 2);
  add(test::failed_task("a"), dead_letter_reason::overflow); // one letter, which moves
  BOOST_TEST(depth("exhausted") == 0);
  BOOST_TEST(depth("overflow") == 3);
  // A replay at 1 per second: the first letter goes at once, and the depth falls with it.
  dead_letter_filter overflow;
  overflow.reason = "overflow";
  replay(overflow, 1);
  BOOST_TEST(resubmitted().size() == 1u);
  BOOST_TEST(depth("overflow") == 2);
  vt.advance(2s);
  BOOST_TEST(resubmitted().size() == 2u);
  BOOST_TEST(depth("overflow") == 0);
  // An operator's process stores and resolves letters: the queue counts again on its next poll.
  store->add({test::letter("d", 5000, dead_letter_reason::non_retryable),
              test::letter("e", 5000, dead_letter_reason::non_retryable)});
  store->resolve("e", "handled", 6000);
  vt.advance(1s);
  BOOST_TEST(depth("non_retryable") == 1);
  BOOST_TEST(metrics->total("herd_dlq_depth") == 1);
}

BOOST_AUTO_TEST_CASE(replay_requests_from_the_database_are_carried_out) {
  config.poll_interval = 1s;
  start();
  add(test::failed_task("a"));
  add(test::failed_task("b", "payment"));
  dead_letter_store cli{db, dead_letter_store::open_mode::existing};
  dead_letter_filter reads;
  reads.kind = "read_only";
  auto request = cli.add_replay_request(reads, 50, "requested", 5000);
  BOOST_TEST(resubmitted().empty());
  vt.advance(1s);
  BOOST_TEST(ids(resubmitted()) == (strings{"a"}));
  auto done = cli.replay_request_of(request.id);
  BOOST_TEST(done->state == "done");
  BOOST_TEST(done->sent == 1);
  BOOST_TEST(cli.get("b")->status == dead_letter_status::pending);
}

BOOST_AUTO_TEST_CASE(letters_left_replaying_by_a_crash_go_back_to_pending) {
  store->add({test::letter("a", 1000)});
  store->set_status({"a"}, dead_letter_status::replaying, 2000);
  start();
  BOOST_TEST(status_of("a") == dead_letter_status::pending);
}

BOOST_AUTO_TEST_CASE(a_replay_re_enters_the_real_dispatcher_and_a_new_failure_comes_back) {
  auto dispatch = caf::actor_cast<caf::actor>(
      sys.spawn<dispatcher>(dispatcher_config{}, metrics, failed_attempts::retry));
  auto worker = sys.spawn<test::failing_agent>();
  agent_settings settings;
  settings.name = "agents-1";
  settings.pool = "agents";
  settings.heartbeat_interval = duration{0};
  self->send(worker, setup_atom::value, settings);
  self->send(dispatch, join_atom::value, std::string{"agents"}, worker, settings.name, int32_t{1});
  dlq = sys.spawn<dead_letter_queue>(config, std::make_unique<dead_letter_store>(db), dispatch,
                                     metrics);
  auto queue = dlq;
  // The retry scheduler's part, cut short: every failure is handed to the queue, which
  // settles it with the dispatcher once it is durable.
  auto sink = herd::test::spawn_function(sys, [=](caf::event_based_actor* s) -> caf::behavior {
    return {[=](retry_atom, task& t) {
      s->request(queue, caf::infinite, dlq_settle_atom::value, t, dead_letter_reason::non_retryable,
                 std::string{"not retryable"})
          .then([](caf::ok_atom) {}, [](caf::error&) {});
    }};
  });
  self->send(dispatch, connect_retry_atom::value, sink);
  auto t = task::make("t-1", "payment", {{"fail", "permanent"}}, "agents");
  self->send(dispatch, submit_atom::value, t);
  vt.run();
  auto first = next<outcome>();
  BOOST_REQUIRE(first);
  BOOST_TEST((first->status == outcome_status::dead_lettered));
  BOOST_TEST(first->error.message == "not retryable");
  BOOST_TEST(!next<outcome>()); // settled once
  auto letter = store->get("t-1");
  BOOST_REQUIRE(letter);
  BOOST_TEST(letter->work.replays == 0);
  BOOST_TEST(letter->work.history.size() == 1u);
  BOOST_TEST(letter->agent == "agents-1");
  replay(dead_letter_filter::of_ids({"t-1"}), 10);
  vt.run();
  letter = store->get("t-1");
  BOOST_TEST(letter->work.replays == 1);
  BOOST_REQUIRE(letter->work.history.size() == 2u); // the old attempt and the new one
  BOOST_TEST(letter->work.history[1].number == 2);  // numbered on across the replay
  BOOST_TEST(letter->letterings.size() == 2u);
  BOOST_TEST(letter->status == dead_letter_status::pending);
  for (auto& a : {dispatch, worker, sink})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  vt.run();
}

BOOST_AUTO_TEST_CASE(a_stopping_queue_commits_its_open_batch_and_acknowledges_it) {
  start();
  // The letter and the stop arrive together: the batch's commit would come after the stop.
  self->send(dlq, dead_letter_atom::value, task::make("last", "read_only", 1),
             dead_letter_reason::exhausted);
  caf::anon_send_exit(dlq, caf::exit_reason::user_shutdown);
  vt.run();
  BOOST_TEST(next<caf::ok_atom>().has_value());
  BOOST_REQUIRE(store->get("last"));
  BOOST_TEST((store->get("last")->status == dead_letter_status::pending));
}

BOOST_AUTO_TEST_SUITE_END()
