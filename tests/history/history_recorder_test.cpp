// The history recorder in virtual time: batches, the flush interval, recoveries, exit.
#include <boost/test/unit_test.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/history/history_store.hpp"
#include "history/history_test_support.hpp"
#include "history_recorder.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

/// The wall clock of these tests: the virtual clock plus a fixed offset, in epoch ms.
constexpr int64_t wall_base_ms = 1'800'000'000'000;

struct recorder_fixture : test::virtual_time_fixture {
  test::temp_dir dir;
  std::string db = dir.file("h.db");
  history_recorder_actor recorder;

  explicit recorder_fixture(history_config config = {}) {
    recorder = sys.spawn<history_recorder>(config, std::make_unique<history_store>(db),
                                           [this] { return wall_ms(vt.now()); });
    vt.run();
  }

  int64_t wall_ms(time_point t) const { return wall_base_ms + to_epoch_ms(t); }

  /// What the store holds now, through a reader of its own.
  std::vector<settled_task> stored_tasks() const {
    return history_store{db, history_store::open_mode::read_only}.tasks_since(0);
  }
  std::vector<recovery_interval> stored_recoveries() const {
    return history_store{db, history_store::open_mode::read_only}.recoveries_since(0);
  }

  /// A task accepted `ago` before now and settled now, on the actor clock.
  settled_task just_settled(const std::string& id, duration ago) {
    auto t = test::settled(id, "summarize", outcome_status::completed, 1, 0, 0);
    t.accepted = vt.now() - ago;
    t.settled = vt.now();
    return t;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(history_suite, recorder_fixture)

BOOST_AUTO_TEST_CASE(settled_tasks_are_committed_within_the_flush_interval_on_the_wall_clock) {
  caf::anon_send(recorder, history_atom::value,
                 std::vector<settled_task>{just_settled("t-1", 1500ms), just_settled("t-2", 1s)});
  vt.run();
  BOOST_TEST(stored_tasks().empty()); // waits for more, up to 100 ms
  vt.advance(99ms);
  BOOST_TEST(stored_tasks().empty());
  vt.advance(1ms);
  auto stored = stored_tasks();
  BOOST_REQUIRE(stored.size() == 2u);
  BOOST_TEST(stored[0].task_id == "t-1");
  BOOST_TEST(stored[0].duration_ms() == 1500);
  // Stored on the wall clock: settled 100 ms before the commit.
  BOOST_TEST(to_epoch_ms(stored[0].settled) == wall_ms(vt.now()) - 100);
  BOOST_TEST(!vt.has_timer()); // nothing waits: no timer
}

BOOST_AUTO_TEST_CASE(a_full_batch_is_committed_at_once) {
  std::vector<settled_task> batch;
  for (int i = 0; i < 256; ++i)
    batch.push_back(just_settled("t-" + std::to_string(i), 10ms));
  caf::anon_send(recorder, history_atom::value, batch);
  vt.run();
  BOOST_TEST(stored_tasks().size() == 256u); // no time passed
}

BOOST_AUTO_TEST_CASE(a_breaker_recovers_when_it_closes_after_probing) {
  auto transition = [&](breaker_state from, breaker_state to) {
    breaker_transition x;
    x.key = "llm";
    x.service = "llm";
    x.from = from;
    x.to = to;
    x.at = vt.now();
    caf::anon_send(recorder, x);
    vt.run();
  };
  transition(breaker_state::closed, breaker_state::open);
  vt.advance(2s);
  transition(breaker_state::open, breaker_state::half_open);
  vt.advance(1s);
  transition(breaker_state::half_open, breaker_state::open); // a probe failed: still down
  vt.advance(2s);
  transition(breaker_state::open, breaker_state::half_open);
  transition(breaker_state::half_open, breaker_state::closed);
  vt.advance(100ms);
  auto stored = stored_recoveries();
  BOOST_REQUIRE(stored.size() == 1u); // one outage, one recovery
  BOOST_TEST((stored[0].subject_type == recovery_subject::breaker));
  BOOST_TEST(stored[0].subject == "llm");
  BOOST_TEST(stored[0].duration_ms() == 5000);
  BOOST_TEST(stored[0].went_down_ms == wall_ms(vt.now()) - 5100);
}

BOOST_AUTO_TEST_CASE(an_agent_recovers_when_its_new_incarnation_starts) {
  auto event = [&](supervision_event_kind kind, const std::string& name) {
    caf::anon_send(recorder, sup_event_atom::value,
                   supervision_event{kind, "pool:llm", name, "", vt.now()});
    vt.run();
  };
  event(supervision_event_kind::stuck, "llm-1"); // a lease, not the agent: no outage
  event(supervision_event_kind::restarted, "llm-1");
  event(supervision_event_kind::suspect, "llm-2");
  vt.advance(300ms);
  event(supervision_event_kind::restarting, "llm-2");
  vt.advance(200ms);
  event(supervision_event_kind::restarted, "llm-2");
  vt.advance(100ms);
  auto stored = stored_recoveries();
  BOOST_REQUIRE(stored.size() == 1u);
  BOOST_TEST((stored[0].subject_type == recovery_subject::agent));
  BOOST_TEST(stored[0].subject == "llm-2");
  BOOST_TEST(stored[0].duration_ms() == 500);
}

BOOST_AUTO_TEST_CASE(an_exit_commits_what_waits_and_a_flush_request_answers_the_rows) {
  caf::anon_send(recorder, history_atom::value,
                 std::vector<settled_task>{just_settled("t-1", 5ms)});
  vt.run();
  self->send(recorder, history_flush_atom::value);
  vt.run();
  auto written = next<int64_t>();
  BOOST_REQUIRE(written);
  BOOST_TEST(*written == 1);
  caf::anon_send(recorder, history_atom::value,
                 std::vector<settled_task>{just_settled("t-2", 5ms)});
  caf::anon_send_exit(recorder, caf::exit_reason::user_shutdown);
  vt.run();
  BOOST_TEST(stored_tasks().size() == 2u); // before the timer: at exit
}

BOOST_AUTO_TEST_SUITE_END()
