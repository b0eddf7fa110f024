// Supervisors in virtual time: strategies restart the right children in the right order,
// restart types, backoff delays that grow and reset, intensity exceeded gives up to the parent,
// and shutdown stops children in reverse order.
#include <algorithm>

#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_errc.hpp"
#include "herd/supervision/supervisor.hpp"
#include "spawn_function.hpp"
#include "supervision/supervision_agents.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace herd::test;

namespace {

struct supervisor_fixture : virtual_time_fixture {
  event_log log = std::make_shared<std::vector<std::string>>();
  supervisor_config sc;
  caf::actor sup;

  supervisor_fixture() {
    sc.random_factor = 0.0; // exact delays: min_backoff = 100 ms, doubling
  }

  ~supervisor_fixture() {
    if (sup)
      caf::anon_send_exit(sup, caf::exit_reason::kill);
    vt.run();
  }

  child_spec worker(const std::string& id, restart_type restart = restart_type::permanent) {
    child_spec spec;
    spec.id = id;
    spec.restart = restart;
    auto l = log;
    spec.start = [id, l](caf::actor_system& sys) {
      l->push_back("start:" + id);
      return sys.spawn(test_worker, id, l);
    };
    return spec;
  }

  caf::actor start(std::vector<child_spec> specs) {
    sup = caf::actor_cast<caf::actor>(sys.spawn<supervisor>(sc, std::move(specs), metrics));
    vt.run();
    return sup;
  }

  std::vector<caf::actor> children(const caf::actor& s) {
    self->send(s, children_atom::value);
    vt.run();
    auto result = next<std::vector<caf::actor>>();
    BOOST_REQUIRE(result);
    return *result;
  }

  /// The log entries since `from`.
  std::vector<std::string> since(size_t from) {
    return {log->begin() + static_cast<std::ptrdiff_t>(from), log->end()};
  }
};

using strings = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(supervisor_suite, supervisor_fixture)

BOOST_AUTO_TEST_CASE(children_start_in_order) {
  start({worker("a"), worker("b"), worker("c")});
  BOOST_TEST(*log == (strings{"start:a", "start:b", "start:c"}), boost::test_tools::per_element());
  auto kids = children(sup);
  BOOST_TEST(kids.size() == 3u);
  BOOST_TEST(std::all_of(kids.begin(), kids.end(), [](auto& k) { return static_cast<bool>(k); }));
}

BOOST_AUTO_TEST_CASE(one_for_one_restarts_only_the_failed_child_after_the_backoff) {
  start({worker("a"), worker("b"), worker("c")});
  auto before = children(sup);
  auto mark = log->size();
  caf::anon_send(before[1], caf::delete_atom_v);
  vt.run();
  BOOST_TEST(since(mark) == (strings{"stop:b"}), boost::test_tools::per_element());
  vt.advance(from_ms(99));
  BOOST_TEST(since(mark) == (strings{"stop:b"}), boost::test_tools::per_element());
  vt.advance(from_ms(1));
  BOOST_TEST(since(mark) == (strings{"stop:b", "start:b"}), boost::test_tools::per_element());
  auto after = children(sup);
  BOOST_TEST((after[0] == before[0]));
  BOOST_TEST((after[1] != before[1]));
  BOOST_TEST((after[2] == before[2]));
}

BOOST_AUTO_TEST_CASE(a_listener_that_drops_events_cannot_kill_its_supervisor) {
  start({worker("a")});
  // A listener that knows no event: CAF answers each dropped message with an error reply,
  // whose default handler would make the supervisor quit (and a root takes the runtime along).
  auto deaf = herd::test::spawn_function(sys, [](caf::event_based_actor* s) {
    s->set_default_handler(caf::drop);
    return caf::behavior{[](int) {}};
  });
  caf::anon_send(sup, subscribe_atom::value, deaf);
  for (int round = 0; round < 2; ++round) {
    auto before = children(sup);
    caf::anon_send(before[0], caf::delete_atom_v);
    vt.advance(from_ms(1000));
    auto after = children(sup);
    BOOST_TEST((after[0] != before[0])); // restarted, and the supervisor still answers
  }
  caf::anon_send_exit(deaf, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_CASE(agents_scaled_up_after_a_scale_down_take_the_free_slots) {
  start({worker("a")});
  for (int round = 0; round < 5; ++round) {
    auto id = "extra-" + std::to_string(round);
    caf::anon_send(sup, scale_up_atom::value, worker(id), std::string{"backlog"});
    vt.run();
    auto kids = children(sup);
    BOOST_REQUIRE_EQUAL(kids.size(), 2u); // the scaled-down agent's slot, not a new one
    BOOST_REQUIRE(kids[1]);
    BOOST_TEST(log->back() == "start:" + id);
    caf::anon_send(sup, scale_down_atom::value, kids[1], std::string{"idle"});
    vt.run();
    BOOST_TEST(log->back() == "stop:" + id);
  }
  // The reused slot restarts its new child like any other.
  caf::anon_send(sup, scale_up_atom::value, worker("last"), std::string{"backlog"});
  vt.run();
  auto before = children(sup);
  caf::anon_send(before[1], caf::delete_atom_v);
  vt.advance(from_ms(1000));
  auto after = children(sup);
  BOOST_TEST((after[1] && after[1] != before[1]));
  BOOST_TEST(log->back() == "start:last");
}

BOOST_AUTO_TEST_CASE(one_for_all_stops_the_others_in_reverse_and_restarts_all_in_order) {
  sc.strategy = restart_strategy::one_for_all;
  start({worker("a"), worker("b"), worker("c")});
  auto before = children(sup);
  auto mark = log->size();
  caf::anon_send(before[1], caf::delete_atom_v);
  vt.advance(from_ms(100));
  BOOST_TEST(since(mark) ==
                 (strings{"stop:b", "stop:c", "stop:a", "start:a", "start:b", "start:c"}),
             boost::test_tools::per_element());
  auto after = children(sup);
  for (size_t i = 0; i < 3; ++i) {
    BOOST_TEST(static_cast<bool>(after[i]));
    BOOST_TEST((after[i] != before[i]));
  }
}

BOOST_AUTO_TEST_CASE(rest_for_one_restarts_the_failed_child_and_those_after_it) {
  sc.strategy = restart_strategy::rest_for_one;
  start({worker("a"), worker("b"), worker("c"), worker("d")});
  auto before = children(sup);
  auto mark = log->size();
  caf::anon_send(before[1], caf::delete_atom_v);
  vt.advance(from_ms(100));
  BOOST_TEST(since(mark) ==
                 (strings{"stop:b", "stop:d", "stop:c", "start:b", "start:c", "start:d"}),
             boost::test_tools::per_element());
  auto after = children(sup);
  BOOST_TEST((after[0] == before[0]));
  for (size_t i = 1; i < 4; ++i)
    BOOST_TEST((after[i] != before[i]));
}

BOOST_AUTO_TEST_CASE(transient_children_restart_only_after_an_abnormal_exit) {
  start({worker("t", restart_type::transient)});
  auto mark = log->size();
  caf::anon_send(children(sup)[0], caf::delete_atom_v);
  vt.advance(from_ms(100));
  BOOST_TEST(since(mark) == (strings{"stop:t", "start:t"}), boost::test_tools::per_element());
  mark = log->size();
  caf::anon_send(children(sup)[0], caf::ok_atom_v); // a normal exit
  vt.advance(from_ms(10000));
  BOOST_TEST(since(mark) == (strings{"stop:t"}), boost::test_tools::per_element());
  BOOST_TEST(!static_cast<bool>(children(sup)[0]));
}

BOOST_AUTO_TEST_CASE(temporary_children_are_never_restarted) {
  sc.strategy = restart_strategy::one_for_all;
  start({worker("p"), worker("tmp", restart_type::temporary)});
  auto mark = log->size();
  caf::anon_send(children(sup)[1], caf::delete_atom_v);
  vt.advance(from_ms(10000));
  BOOST_TEST(since(mark) == (strings{"stop:tmp"}), boost::test_tools::per_element());
  // A sibling's failure stops it for good too.
  caf::anon_send_exit(sup, caf::exit_reason::kill);
  vt.run();
  start({worker("p"), worker("tmp", restart_type::temporary)});
  mark = log->size();
  caf::anon_send(children(sup)[0], caf::delete_atom_v);
  vt.advance(from_ms(10000));
  BOOST_TEST(since(mark) == (strings{"stop:p", "stop:tmp", "start:p"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(backoff_delays_grow_and_reset_after_a_quiet_period) {
  sc.max_restarts = 100;
  sc.min_backoff = from_ms(100);
  sc.max_backoff = from_ms(1000);
  sc.reset_after = from_ms(5000);
  start({worker("a")});
  std::vector<int64_t> delays;
  auto crash_and_measure = [&] {
    caf::anon_send(children(sup)[0], caf::delete_atom_v);
    vt.run();
    auto crashed_at = vt.now();
    auto starts = std::count(log->begin(), log->end(), "start:a");
    while (std::count(log->begin(), log->end(), "start:a") == starts)
      vt.advance(from_ms(10));
    delays.push_back(to_ms(vt.now() - crashed_at));
  };
  for (int i = 0; i < 5; ++i)
    crash_and_measure();
  BOOST_TEST(delays == (std::vector<int64_t>{100, 200, 400, 800, 1000}),
             boost::test_tools::per_element());
  vt.advance(from_ms(5000)); // quiet
  crash_and_measure();
  BOOST_TEST(delays.back() == 100);
}

BOOST_AUTO_TEST_CASE(intensity_exceeded_stops_the_children_and_exits) {
  sc.max_restarts = 2;
  sc.period = from_ms(5000);
  start({worker("a"), worker("b")});
  self->monitor(sup);
  for (int i = 0; i < 2; ++i) {
    caf::anon_send(children(sup)[0], caf::delete_atom_v);
    vt.advance(from_ms(1000));
  }
  auto mark = log->size();
  caf::anon_send(children(sup)[0], caf::delete_atom_v);
  vt.run();
  BOOST_TEST(since(mark) == (strings{"stop:a", "stop:b"}), boost::test_tools::per_element());
  std::optional<caf::error> reason;
  self->receive([&](caf::down_msg& dm) { reason = dm.reason; },
                caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_REQUIRE(reason);
  BOOST_TEST((*reason == supervision_errc::intensity_exceeded));
  BOOST_TEST(metric_total(*metrics, "herd_supervisor_gave_up_total", "supervisor") == 1);
  sup = nullptr;
}

BOOST_AUTO_TEST_CASE(intensity_exceeded_gives_up_to_the_parent_which_restarts_the_subtree) {
  supervisor_config inner = sc;
  inner.name = "inner";
  inner.max_restarts = 1;
  auto l = log;
  auto m = metrics;
  auto w = worker("w");
  child_spec sub;
  sub.id = "inner";
  sub.shutdown_timeout = from_ms(60000);
  sub.start = [inner, w, l, m](caf::actor_system& sys) {
    l->push_back("start:inner");
    return caf::actor_cast<caf::actor>(sys.spawn<supervisor>(inner, std::vector<child_spec>{w}, m));
  };
  sc.name = "outer";
  start({worker("x"), sub});
  self->send(sup, subscribe_atom::value, caf::actor{self});
  vt.run();
  auto first_inner = children(sup)[1];
  BOOST_TEST(*log == (strings{"start:x", "start:inner", "start:w"}),
             boost::test_tools::per_element());
  // Two crashes of w within 5 s: the inner supervisor gives up; the outer restarts it.
  caf::anon_send(children(first_inner)[0], caf::delete_atom_v);
  vt.advance(from_ms(100));
  auto mark = log->size();
  caf::anon_send(children(first_inner)[0], caf::delete_atom_v);
  vt.advance(from_ms(100));
  BOOST_TEST(since(mark) == (strings{"stop:w", "start:inner", "start:w"}),
             boost::test_tools::per_element());
  auto second_inner = children(sup)[1];
  BOOST_TEST((second_inner != first_inner));
  BOOST_TEST(static_cast<bool>(children(sup)[0])); // x untouched
  BOOST_TEST(metric_total(*metrics, "herd_supervisor_gave_up_total", "inner") == 1);
  BOOST_TEST(metric_total(*metrics, "herd_restarts_total", "outer") == 1);
  bool hooked = false;
  for (bool more = true; more;)
    self->receive(
        [&](restarted_atom, const std::string& id, const caf::actor& o, const caf::actor& n) {
          hooked = true;
          BOOST_TEST(id == "inner");
          BOOST_TEST((o == first_inner));
          BOOST_TEST((n == second_inner));
        },
        [](sup_event_atom, const supervision_event&) {},
        caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  BOOST_TEST(hooked);
}

BOOST_AUTO_TEST_CASE(an_exit_stops_children_in_reverse_order_then_the_supervisor) {
  start({worker("a"), worker("b"), worker("c")});
  self->monitor(sup);
  auto mark = log->size();
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  vt.run();
  BOOST_TEST(since(mark) == (strings{"stop:c", "stop:b", "stop:a"}),
             boost::test_tools::per_element());
  std::optional<caf::error> reason;
  self->receive([&](caf::down_msg& dm) { reason = dm.reason; },
                caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_REQUIRE(reason);
  BOOST_TEST((*reason == caf::exit_reason::user_shutdown));
  sup = nullptr;
}

BOOST_AUTO_TEST_CASE(a_killed_supervisor_does_not_orphan_its_children) {
  start({worker("a"), worker("b")});
  auto mark = log->size();
  caf::anon_send_exit(sup, caf::exit_reason::kill);
  vt.run();
  auto stopped = since(mark);
  std::sort(stopped.begin(), stopped.end());
  BOOST_TEST(stopped == (strings{"stop:a", "stop:b"}), boost::test_tools::per_element());
  sup = nullptr;
}

BOOST_AUTO_TEST_SUITE_END()
