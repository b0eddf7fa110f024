// The runtime's supervision tree in virtual time: pools under supervisors, watched by the health
// monitor; crashed agents restart, hung ones are isolated and replaced with their late result
// ignored, and a crashed dispatcher comes back with the actors that depend on it.
#include <future>
#include <set>

#include <nlohmann/json.hpp>

#include "herd/runtime/runtime.hpp"
#include "herd/supervision/protocol.hpp"
#include "supervision/supervision_agents.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace herd::test;

namespace {

/// What the agents of a test share: which tasks crashed or hung already (each does so once),
/// and the board slot of the agent that hung.
struct chaos_script {
  std::set<std::string> crashed;
  std::set<std::string> hung;
  std::shared_ptr<liveness_board> board;
  uint64_t hung_slot = 0;
  caf::actor hung_agent;
};

/// Completes tasks at once with {"by": name}; a task with payload "crash" crashes its first
/// agent, one with "hang" hangs its first agent (it stops processing its mailbox, as a blocked
/// handler would, until `(call_atom)` makes it report a late result).
class scripted_agent : public agent {
public:
  scripted_agent(caf::actor_config& cfg, std::shared_ptr<chaos_script> script)
      : agent(cfg), script_(std::move(script)) {}

protected:
  void handle_async(const task& t, task_completion done) override {
    auto what = t.payload_json();
    if (what == "crash" && script_->crashed.insert(t.id).second) {
      quit(caf::sec::runtime_error);
      return;
    }
    if (what == "hang" && script_->hung.insert(t.id).second) {
      script_->board = settings().board;
      script_->hung_slot = settings().board_slot;
      script_->hung_agent = caf::actor_cast<caf::actor>(this);
      held_ = done;
      set_default_handler(caf::skip);
      set_exit_handler([](caf::exit_msg&) {});
      become(caf::keep_behavior, caf::behavior{[this](call_atom) { held_->succeed("late"); }});
      return;
    }
    done.succeed({{"by", settings().name}});
  }

private:
  std::shared_ptr<chaos_script> script_;
  std::optional<task_completion> held_;
};

struct supervised_runtime_fixture : virtual_time_fixture {
  std::shared_ptr<chaos_script> script = std::make_shared<chaos_script>();
  runtime_config config;
  std::unique_ptr<herd::runtime> rt;

  supervised_runtime_fixture() {
    config.log_level = "off";
    config.dispatcher.lease_timeout = from_ms(600000); // only the health monitor finds hangs
    config.supervision.min_backoff = from_ms(100);
  }

  ~supervised_runtime_fixture() {
    if (script->hung_agent)
      caf::anon_send_exit(script->hung_agent, caf::exit_reason::kill);
    rt.reset();
    vt.run();
    // The script and the hung agent reference each other.
    script->hung_agent = nullptr;
    script->board = nullptr;
  }

  void start(size_t agents) {
    rt = std::make_unique<herd::runtime>(sys, config);
    rt->spawn_pool<scripted_agent>("p", agents, script);
    vt.run();
  }

  std::future<caf::expected<outcome>> submit(const std::string& id, nlohmann::json payload) {
    return rt->submit(task::make(id, "read_only", std::move(payload), "p"));
  }

  static bool ready(std::future<caf::expected<outcome>>& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_supervision, supervised_runtime_fixture)

BOOST_AUTO_TEST_CASE(a_crashed_agent_is_restarted_and_its_task_still_completes) {
  start(2);
  auto before = rt->pools().at("p");
  auto crash = submit("t-crash", "crash");
  vt.advance(from_ms(1000));
  BOOST_REQUIRE(ready(crash));
  auto o = crash.get();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(script->crashed.count("t-crash") == 1u);
  // The pool supervisor started a new incarnation under the same name.
  BOOST_TEST(metric_total(rt->metrics(), "herd_restarts_total", "pool:p") == 1);
  auto after = rt->pools().at("p");
  BOOST_REQUIRE(after.size() == 2u);
  BOOST_TEST((after[0] != before[0] || after[1] != before[1]));
  // The new incarnation works.
  std::vector<std::future<caf::expected<outcome>>> more;
  for (int i = 0; i < 20; ++i)
    more.push_back(submit("t-" + std::to_string(i), i));
  vt.advance(from_ms(100));
  std::set<std::string> agents;
  for (auto& f : more) {
    BOOST_REQUIRE(ready(f));
    auto r = f.get();
    BOOST_REQUIRE(r);
    agents.insert(r->agent);
  }
  BOOST_TEST(agents.size() == 2u);
  BOOST_TEST(rt->stats().balanced());
}

BOOST_AUTO_TEST_CASE(a_hung_agent_is_isolated_replaced_and_its_late_result_ignored) {
  config.health.watch = herd::health_watch::heartbeats;
  start(2);
  auto hang = submit("t-hang", "hang");
  vt.run();
  BOOST_REQUIRE(script->hung_agent);
  BOOST_TEST(!ready(hang));
  // Two missed 1 s heartbeats and one check later, the agent is suspected and isolated; its
  // lease goes to a healthy agent and the supervisor starts a fresh incarnation.
  vt.advance(from_ms(3000));
  BOOST_REQUIRE(ready(hang));
  auto o = hang.get();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(o->result_json()["by"] != "late");
  BOOST_TEST(metric_total(rt->metrics(), "herd_children_abandoned_total", "pool:p") == 1);
  BOOST_TEST(metric_total(rt->metrics(), "herd_isolations_total") >= 1);
  // The old incarnation finishes after all: its result is stale and nothing completes twice.
  caf::anon_send(script->hung_agent, call_atom::value);
  vt.advance(from_ms(100));
  auto s = rt->stats();
  BOOST_TEST(s.completed == 1u);
  BOOST_TEST(s.balanced());
  auto health = rt->health().to_json();
  BOOST_TEST(health.dump().find("p-1") != std::string::npos);
  BOOST_TEST(health.dump().find("p-2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_liveness_board_finds_a_handler_that_does_not_return) {
  start(2); // watch = "board", the default
  auto hang = submit("t-hang", "hang");
  vt.run();
  BOOST_REQUIRE(script->board != nullptr);
  // In virtual time the handler cannot really block: the test keeps its slot busy, as a
  // handler that never returned would.
  script->board->enter(script->hung_slot, sys.clock().now().time_since_epoch().count());
  vt.advance(from_ms(1000));
  BOOST_TEST(!ready(hang)); // one interval is not yet a hang
  vt.advance(from_ms(1500));
  BOOST_REQUIRE(ready(hang));
  auto o = hang.get();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(metric_total(rt->metrics(), "herd_children_abandoned_total", "pool:p") == 1);
}

BOOST_AUTO_TEST_CASE(agents_that_idle_or_work_are_never_suspected) {
  start(3);
  std::vector<std::future<caf::expected<outcome>>> tasks;
  for (int second = 0; second < 30; ++second) {
    tasks.push_back(submit("t-" + std::to_string(second), second));
    vt.advance(from_ms(1000));
  }
  for (auto& f : tasks)
    BOOST_TEST(ready(f));
  BOOST_TEST(metric_total(rt->metrics(), "herd_isolations_total") == 0);
  BOOST_TEST(metric_total(rt->metrics(), "herd_restarts_total") == 0);
}

BOOST_AUTO_TEST_CASE(a_crashed_dispatcher_restarts_with_the_actors_after_it) {
  start(2);
  auto first = submit("t-before", 1);
  vt.run();
  BOOST_REQUIRE(ready(first));
  auto old_dispatcher = rt->dispatcher();
  auto old_scheduler = rt->retry_scheduler();
  caf::anon_send_exit(old_dispatcher, caf::exit_reason::kill);
  vt.advance(from_ms(2000));
  // rest_for_one: the dispatcher and everything started after it are new incarnations, and
  // the new agents joined the new dispatcher.
  BOOST_TEST((rt->dispatcher() != old_dispatcher));
  BOOST_TEST((rt->retry_scheduler() != old_scheduler));
  BOOST_TEST(metric_total(rt->metrics(), "herd_restarts_total", "herd.root") >= 1);
  auto second = submit("t-after", 2);
  vt.advance(from_ms(100));
  BOOST_REQUIRE(ready(second));
  auto o = second.get();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
}

BOOST_AUTO_TEST_SUITE_END()
