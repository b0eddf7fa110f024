// The health monitor in virtual time with a real dispatcher and agents: silent agents are
// suspected and isolated (their leases re-queued), slow agents that heartbeat are not, the
// detector comes from JSON, and a hung agent is replaced by its supervisor with its late
// result ignored.
#include <nlohmann/json.hpp>

#include "actors/dispatch/dispatcher_fixture.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/supervision/health_monitor.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervisor.hpp"
#include "supervision/supervision_agents.hpp"

using namespace herd;
using namespace herd::test;

namespace {

struct health_fixture : dispatcher_fixture {
  health_monitor_config hm_config;
  health_monitor_actor monitor;
  caf::actor sup;
  std::vector<caf::actor> spawned; // killed at the end: heartbeat timers never settle

  ~health_fixture() {
    spawned.push_back(caf::actor_cast<caf::actor>(monitor));
    spawned.push_back(sup);
    for (auto& a : spawned)
      if (a)
        caf::anon_send_exit(a, caf::exit_reason::kill);
    vt.run();
  }

  /// Starts the dispatcher and the health monitor (which watches the dispatcher's leases).
  void start_all() {
    start();
    monitor = sys.spawn<health_monitor>(hm_config, dispatcher, metrics);
    vt.run();
  }

  /// Spawns an agent of type A that heartbeats to the monitor every second, joins the pool and
  /// is tracked with `supervisor` (default: self).
  template <class A, class... Ts>
  caf::actor add_watched(const std::string& name, caf::actor supervisor, Ts&&... xs) {
    auto a = sys.spawn<A>(std::forward<Ts>(xs)...);
    spawned.push_back(a);
    setup(a, name, caf::actor_cast<caf::actor>(monitor));
    self->send(dispatcher, join_atom::value, std::string{"default"}, a, name, int32_t{1});
    self->send(monitor, track_atom::value, a, name,
               caf::actor_cast<supervisor_actor>(supervisor ? supervisor : caf::actor{self}));
    vt.run();
    return a;
  }

  void setup(const caf::actor& a, const std::string& name, const caf::actor& target) {
    agent_settings s;
    s.name = name;
    s.pool = "default";
    s.heartbeat_target = target;
    s.heartbeat_interval = from_ms(1000);
    caf::anon_send(a, setup_atom::value, s);
  }

  nlohmann::json health() {
    self->send(monitor, health_atom::value);
    vt.run();
    auto view = next<health_view>();
    BOOST_REQUIRE(view);
    return view->to_json();
  }

  /// True if a suspect report reached `self` (the supervisor of agents tracked in tests).
  bool suspected() {
    bool result = false;
    self->receive([&](suspect_atom, const caf::actor&, const std::string&,
                      const std::string&) { result = true; },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    return result;
  }

  nlohmann::json agent_view(const std::string& name) {
    auto view = health();
    for (auto& a : view["agents"])
      if (a["name"] == name)
        return a;
    return nullptr;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(health_monitor_suite, health_fixture)

BOOST_AUTO_TEST_CASE(heartbeating_agents_stay_healthy) {
  start_all();
  add_watched<echo_agent>("a", nullptr, runs);
  add_watched<echo_agent>("b", nullptr, runs);
  vt.advance(from_ms(10000));
  BOOST_TEST(!suspected());
  auto a = agent_view("a");
  BOOST_TEST(a["state"] == "healthy");
  BOOST_TEST(a["heartbeats"].get<int>() == 10);
  BOOST_TEST(a["phi"].is_null());
  BOOST_TEST(a["silent_ms"].get<int64_t>() <= 1000);
  BOOST_TEST(stats().isolated == 0u);
}

BOOST_AUTO_TEST_CASE(a_silent_agent_is_suspected_isolated_and_its_lease_requeued) {
  start_all();
  // "mute" never heartbeats (its heartbeat target is nobody) and holds its task forever.
  auto mute = sys.spawn<silent_agent>();
  setup(mute, "mute", nullptr);
  self->send(dispatcher, join_atom::value, std::string{"default"}, mute, std::string{"mute"},
             int32_t{1});
  self->send(monitor, track_atom::value, mute, std::string{"mute"},
             caf::actor_cast<supervisor_actor>(self));
  vt.run();
  submit("t1");
  vt.run();
  add_watched<echo_agent>("healthy", nullptr, runs);
  // More than two intervals without a heartbeat: suspect at the first check after 2 s.
  vt.advance(from_ms(2000));
  BOOST_TEST(agent_view("mute")["state"] == "healthy");
  vt.advance(from_ms(250));
  caf::actor suspect_handle;
  std::string suspect_name;
  self->receive(
      [&](suspect_atom, const caf::actor& a, const std::string& name, const std::string& reason) {
        suspect_handle = a;
        suspect_name = name;
        BOOST_TEST(reason.find("no heartbeat for") != std::string::npos);
      },
      caf::after(std::chrono::seconds(0)) >> [] { BOOST_FAIL("no suspect report"); });
  BOOST_TEST((suspect_handle == mute));
  BOOST_TEST(suspect_name == "mute");
  // The dispatcher isolated it and re-queued its lease to the healthy agent.
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(o->agent == "healthy");
  auto s = stats();
  BOOST_TEST(s.isolated == 1u);
  BOOST_TEST(s.requeued == 1u);
  BOOST_TEST(s.balanced());
  BOOST_TEST(agent_view("mute")["state"] == "isolated");
  BOOST_TEST(agent_view("healthy")["state"] == "healthy");
  BOOST_TEST(metric_total(*metrics, "herd_heartbeats_missed_total") == 1);
  BOOST_TEST(metric_total(*metrics, "herd_isolations_total") == 1);
}

BOOST_AUTO_TEST_CASE(a_slow_agent_that_keeps_heartbeating_is_not_isolated) {
  config.lease_timeout = from_ms(60000);
  start_all();
  add_watched<slow_agent>("slow", nullptr, from_ms(8000));
  submit("t1");
  vt.run();
  vt.advance(from_ms(3000));
  // Even a stuck-task report does not isolate an agent whose heartbeats arrive.
  self->send(monitor, stuck_atom::value, std::string{"slow"}, std::string{"t1"});
  vt.run();
  vt.advance(from_ms(4000));
  BOOST_TEST(!next<outcome>());
  BOOST_TEST(agent_view("slow")["state"] == "healthy");
  BOOST_TEST(agent_view("slow")["stuck_reports"].get<int>() == 1);
  vt.advance(from_ms(1000));
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(o->agent == "slow");
  BOOST_TEST(stats().isolated == 0u);
  BOOST_TEST(metric_total(*metrics, "herd_stuck_reports_total") == 1);
  BOOST_TEST(metric_total(*metrics, "herd_isolations_total") == 0);
}

BOOST_AUTO_TEST_CASE(phi_detector_from_json_suspects_later_than_the_deadline) {
  auto j = nlohmann::json::parse(R"({"detector": "phi"})");
  hm_config = health_monitor_config::from_json(json_reader{j});
  start_all();
  auto mute = sys.spawn<silent_agent>();
  setup(mute, "mute", nullptr);
  self->send(monitor, track_atom::value, mute, std::string{"mute"},
             caf::actor_cast<supervisor_actor>(self));
  vt.run();
  // Only the seed {750, 1250}: mean 1000 + pause 3000, std 250. phi(5250) = 6.54 (y = 5),
  // phi(5500) = 9.01 (y = 6): suspected at the check at 5.5 s.
  vt.advance(from_ms(5250));
  auto v = agent_view("mute");
  BOOST_TEST(v["state"] == "healthy");
  BOOST_TEST(v["phi"].get<double>() == 6.542646, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(!suspected());
  vt.advance(from_ms(250));
  BOOST_TEST(agent_view("mute")["state"] == "isolated");
  self->receive([&](suspect_atom, const caf::actor&, const std::string&, const std::string&) {},
                caf::after(std::chrono::seconds(0)) >> [] { BOOST_FAIL("no suspect report"); });
  caf::anon_send_exit(mute, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_CASE(a_dead_agent_is_stopped_in_the_view) {
  start_all();
  auto a = add_watched<echo_agent>("a", nullptr, runs);
  caf::anon_send_exit(a, caf::exit_reason::kill);
  vt.run();
  BOOST_TEST(agent_view("a")["state"] == "stopped");
  vt.advance(from_ms(5000));
  BOOST_TEST(!suspected()); // no suspicion for an agent known to be dead
}

BOOST_AUTO_TEST_CASE(a_hung_agent_is_replaced_and_its_late_result_ignored) {
  config.lease_timeout = from_ms(60000);
  start_all();
  auto incarnations = std::make_shared<std::vector<caf::actor>>();
  child_spec spec;
  spec.id = "worker";
  spec.heartbeats = true;
  spec.start = [this, incarnations](caf::actor_system& sys) {
    // The first incarnation hangs on its task; later ones work.
    auto a = incarnations->empty() ? sys.spawn<hanging_agent>() : sys.spawn<echo_agent>(runs);
    incarnations->push_back(a);
    spawned.push_back(a);
    setup(a, "worker", caf::actor_cast<caf::actor>(monitor));
    caf::anon_send(dispatcher, join_atom::value, std::string{"default"}, a, std::string{"worker"},
                   int32_t{1});
    return a;
  };
  supervisor_config sc;
  sc.name = "pool-default";
  sc.random_factor = 0.0;
  sup = caf::actor_cast<caf::actor>(
      sys.spawn<supervisor>(sc, std::vector<child_spec>{spec}, metrics, monitor));
  self->send(sup, subscribe_atom::value, caf::actor{self});
  vt.run();
  BOOST_REQUIRE(incarnations->size() == 1u);
  auto old = incarnations->front();
  submit("t1");
  vt.run();
  vt.advance(from_ms(2250)); // suspected, isolated, abandoned; restart in 100 ms
  vt.advance(from_ms(100));
  BOOST_REQUIRE(incarnations->size() == 2u);
  // The on-restart hook names the old and the new incarnation; the task completed once.
  bool hooked = false;
  std::vector<outcome> outcomes;
  std::vector<nlohmann::json> events;
  for (bool more = true; more;)
    self->receive(
        [&](restarted_atom, const std::string& id, const caf::actor& o, const caf::actor& n) {
          hooked = true;
          BOOST_TEST(id == "worker");
          BOOST_TEST((o == old));
          BOOST_TEST((n == incarnations->back()));
        },
        [&](sup_event_atom, const supervision_event& e) { events.push_back(e.to_json()); },
        [&](outcome& o) { outcomes.push_back(std::move(o)); },
        caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  BOOST_TEST(hooked);
  std::vector<std::string> kinds;
  for (auto& e : events) {
    BOOST_TEST(e["source"] == "pool-default");
    BOOST_TEST(e["name"] == "worker");
    kinds.push_back(e["event"]);
  }
  BOOST_TEST(kinds == (std::vector<std::string>{"abandoned", "restarting", "restarted"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(outcomes.size() == 1u);
  BOOST_TEST(outcomes[0].ok());
  BOOST_TEST(outcomes[0].agent == "worker");
  BOOST_TEST(agent_view("worker")["state"] == "healthy");
  // The task ran on the new incarnation, once.
  BOOST_TEST((*runs)["t1"] == 1);
  // The old incarnation finishes after all: its result is stale and ignored.
  caf::anon_send(old, call_atom::value);
  vt.run();
  BOOST_TEST(!next<outcome>());
  auto s = stats();
  BOOST_TEST(s.completed == 1u);
  BOOST_TEST(s.stale_reports == 1u);
  BOOST_TEST(s.balanced());
  BOOST_TEST(metric_total(*metrics, "herd_children_abandoned_total") == 1);
  BOOST_TEST(metric_total(*metrics, "herd_restarts_total", "pool-default") == 1);
}

BOOST_AUTO_TEST_CASE(board_mode_finds_a_hung_handler_within_two_intervals_without_heartbeats) {
  config.lease_timeout = from_ms(60000);
  start();
  auto board = std::make_shared<liveness_board>(16);
  monitor = sys.spawn<health_monitor>(hm_config, dispatcher, metrics, board);
  vt.run();
  auto add_board_agent = [&](const std::string& name, bool hang) {
    auto slot = board->acquire();
    auto a = sys.spawn<board_agent>(board, slot, hang, from_ms(8000));
    spawned.push_back(a);
    setup(a, name, nullptr); // no heartbeats at all
    self->send(dispatcher, join_atom::value, std::string{"default"}, a, name, int32_t{1});
    self->send(monitor, track_atom::value, a, name, caf::actor_cast<supervisor_actor>(self),
               uint64_t{slot});
    vt.run();
    return a;
  };
  auto slow = add_board_agent("slow", false);
  submit("t-slow");
  vt.run();
  auto hung = add_board_agent("hung", true);
  submit("t-hung");
  vt.run();
  // Idle or slow but returning handlers are never suspected, however long the task takes.
  vt.advance(from_ms(1750));
  BOOST_TEST(!suspected());
  BOOST_TEST(agent_view("hung")["busy_ms"].get<int64_t>() == 1750);
  // Busy in one handler for more than 2 s - 250 ms: found at the check at 2 s.
  vt.advance(from_ms(250));
  caf::actor who;
  self->receive(
      [&](suspect_atom, const caf::actor& a, const std::string&, const std::string& reason) {
        who = a;
        BOOST_TEST(reason.find("busy in one handler") != std::string::npos);
      },
      caf::after(std::chrono::seconds(0)) >> [] { BOOST_FAIL("no suspect report"); });
  BOOST_TEST((who == hung));
  BOOST_TEST(agent_view("hung")["state"] == "isolated");
  vt.advance(from_ms(15000)); // t-hung waits for the slow agent: done at 16 s
  BOOST_TEST(!suspected());
  BOOST_TEST(agent_view("slow")["state"] == "healthy");
  // Both tasks completed on the slow agent (the hung one's lease was re-queued).
  std::vector<outcome> outcomes;
  for (bool more = true; more;)
    self->receive([&](outcome& o) { outcomes.push_back(std::move(o)); },
                  caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  BOOST_REQUIRE(outcomes.size() == 2u);
  for (auto& o : outcomes) {
    BOOST_TEST(o.ok());
    BOOST_TEST(o.agent == "slow");
  }
  // The hung agent's slot goes back to the board once it is gone.
  caf::anon_send_exit(hung, caf::exit_reason::kill);
  vt.run();
  BOOST_TEST(board->acquire() == 1u);
  (void)slow;
}

BOOST_AUTO_TEST_SUITE_END()
