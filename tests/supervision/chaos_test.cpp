// Chaos in virtual time: 10,000 tasks while agents crash and hang at random under a supervisor
// and the health monitor, first around a bare dispatcher, then through the whole runtime with a
// durable dead-letter queue. Every task ends once (completed, failed, dead-lettered or
// escalated), none completes twice, and the dispatcher's counts reconcile.
#include <random>
#include <set>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/dispatch/dispatcher_fixture.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/supervision/health_monitor.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervisor.hpp"
#include "supervision/supervision_agents.hpp"

using namespace herd;
using namespace herd::test;

namespace {

/// Chaos with one random generator for every incarnation: crashes (exits abnormally) on 1%,
/// hangs for good on 1% (the mailbox is no longer processed: no heartbeats, no exits but kill),
/// fails transiently on 3% and otherwise completes, counting its successes; a "poison" payload
/// fails permanently.
class chaos_agent : public agent {
public:
  chaos_agent(caf::actor_config& cfg, std::shared_ptr<std::mt19937_64> rng, run_counter successes)
      : agent(cfg), rng_(std::move(rng)), successes_(std::move(successes)) {}

protected:
  void handle_async(const task& t, task_completion done) override {
    auto u = std::uniform_real_distribution<double>{0.0, 1.0}(*rng_);
    if (u < 0.01) {
      quit(caf::sec::runtime_error);
      return;
    }
    if (u < 0.02) {
      set_default_handler(caf::skip);
      set_exit_handler([](caf::exit_msg&) {});
      become(caf::behavior{[](call_atom) {}});
      return;
    }
    if (u < 0.05) {
      done.fail(failure::transient("flaky tool"));
      return;
    }
    if (t.payload_json() == "poison") {
      done.fail(failure::permanent("the model refuses this input"));
      return;
    }
    ++(*successes_)[t.id];
    done.succeed("ok");
  }

private:
  std::shared_ptr<std::mt19937_64> rng_;
  run_counter successes_;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(supervision_chaos, dispatcher_fixture)

BOOST_AUTO_TEST_CASE(ten_thousand_tasks_with_crashing_and_hanging_agents_all_end_once) {
  constexpr int tasks = 10000;
  constexpr int agents = 8;
  config.intake_capacity = tasks;
  config.lease_timeout = from_ms(60000);
  config.max_requeues = 5;
  start();
  health_monitor_config hm;
  auto monitor = sys.spawn<health_monitor>(hm, dispatcher, metrics);
  auto incarnations = std::make_shared<uint64_t>(0);
  auto rng = std::make_shared<std::mt19937_64>(7);
  auto all = std::make_shared<std::vector<caf::actor>>();
  std::vector<child_spec> specs;
  for (int i = 0; i < agents; ++i) {
    child_spec spec;
    spec.id = "chaos-" + std::to_string(i);
    spec.heartbeats = true;
    spec.shutdown_timeout = from_ms(1000);
    spec.start = [this, id = spec.id, monitor, incarnations, rng, all](caf::actor_system& sys) {
      ++*incarnations;
      auto a = sys.spawn<chaos_agent>(rng, runs);
      all->push_back(a);
      agent_settings s;
      s.name = id;
      s.pool = "default";
      s.heartbeat_target = caf::actor_cast<caf::actor>(monitor);
      caf::anon_send(a, setup_atom::value, s);
      caf::anon_send(dispatcher, join_atom::value, std::string{"default"}, a, id, int32_t{1});
      return a;
    };
    specs.push_back(std::move(spec));
  }
  supervisor_config sc;
  sc.name = "chaos";
  sc.max_restarts = 1000000; // chaos is the point here; intensity has its own tests
  sc.max_backoff = from_ms(1000);
  sc.seed = 7;
  auto sup = sys.spawn<supervisor>(sc, specs, metrics, monitor);
  vt.run();
  for (int i = 0; i < tasks; ++i)
    submit("task-" + std::to_string(i));
  std::vector<outcome> outcomes;
  auto drain = [&] {
    for (bool more = true; more;)
      self->receive([&](outcome& o) { outcomes.push_back(std::move(o)); },
                    [&](caf::error& e) { BOOST_FAIL("rejected: " << sys.render(e)); },
                    caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  };
  for (int step = 0; step < 7200 && outcomes.size() < static_cast<size_t>(tasks); ++step) {
    vt.advance(from_ms(1000));
    drain();
  }
  BOOST_REQUIRE(outcomes.size() == static_cast<size_t>(tasks));
  std::set<std::string> ids;
  size_t ok = 0;
  size_t failed = 0;
  for (auto& o : outcomes) {
    ids.insert(o.task_id);
    if (o.ok()) {
      ++ok;
      BOOST_TEST((*runs)[o.task_id] == 1); // completed exactly once
    } else {
      ++failed;
      BOOST_TEST((*runs)[o.task_id] == 0);
    }
  }
  BOOST_TEST(ids.size() == static_cast<size_t>(tasks)); // none twice, none missing
  auto s = stats();
  BOOST_TEST(s.completed == ok);
  BOOST_TEST(s.failed == failed);
  BOOST_TEST(s.pending() == 0u);
  BOOST_TEST(s.balanced());
  // Both kinds of chaos happened and the supervisor replaced the agents.
  auto restarts = metric_total(*metrics, "herd_restarts_total", "chaos");
  auto abandoned = metric_total(*metrics, "herd_children_abandoned_total", "chaos");
  BOOST_TEST_MESSAGE("chaos: " << ok << " completed, " << failed << " failed, " << restarts
                               << " restarts, " << abandoned << " hung agents replaced, "
                               << *incarnations << " incarnations");
  BOOST_TEST(abandoned > 10);
  BOOST_TEST(restarts > abandoned);
  caf::anon_send_exit(sup, caf::exit_reason::kill);
  caf::anon_send_exit(monitor, caf::exit_reason::kill);
  for (auto& a : *all)
    caf::anon_send_exit(a, caf::exit_reason::kill);
  vt.run();
}

BOOST_AUTO_TEST_CASE(
    ten_thousand_tasks_through_the_runtime_end_completed_dead_lettered_or_escalated) {
  constexpr int tasks = 10000;
  temp_dir dir;
  runtime_config rc;
  rc.log_level = "off";
  rc.health.watch =
      herd::health_watch::heartbeats; // the hang here stops the mailbox, as in a blocked handler
  rc.dispatcher.intake_capacity = tasks;
  rc.dispatcher.lease_timeout = from_ms(60000);
  rc.dispatcher.max_requeues = 2;
  rc.supervision.max_restarts = 1000000; // chaos is the point here
  rc.retry.budget.min_retries_per_s = 1000;
  dead_letter_queue_config dl;
  dl.db = dir.file("chaos.db");
  rc.dead_letters = dl;
  auto rng = std::make_shared<std::mt19937_64>(11);
  std::map<std::string, int> outcomes_per_task;
  std::map<outcome_status, size_t> by_status;
  {
    herd::runtime rt{sys, rc};
    rt.spawn_pool<chaos_agent>("default", 8, rng, runs);
    vt.run();
    // Mostly reads (retried), 2% poison (dead-lettered: permanent) and 5% payments (escalated
    // at once when they fail).
    std::vector<std::future<caf::expected<outcome>>> futures;
    for (int i = 0; i < tasks; ++i) {
      auto kind = i % 20 == 0 ? "payment" : "read_only";
      auto payload = i % 50 == 1 ? nlohmann::json("poison") : nlohmann::json(i);
      futures.push_back(rt.submit(task::make("task-" + std::to_string(i), kind, payload)));
    }
    auto all_ready = [&] {
      return std::all_of(futures.begin(), futures.end(), [](auto& f) {
        return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
      });
    };
    for (int step = 0; step < 7200 && !all_ready(); ++step)
      vt.advance(from_ms(1000));
    BOOST_REQUIRE(all_ready());
    for (auto& f : futures) {
      auto o = f.get();
      BOOST_REQUIRE(o);
      ++outcomes_per_task[o->task_id];
      ++by_status[o->status];
      if (o->ok())
        BOOST_TEST((*runs)[o->task_id] == 1); // completed exactly once
      else
        BOOST_TEST((*runs)[o->task_id] == 0);
    }
    auto s = rt.stats();
    BOOST_TEST(outcomes_per_task.size() == static_cast<size_t>(tasks)); // none missing
    BOOST_TEST(s.completed == by_status[outcome_status::completed]);
    BOOST_TEST(s.dead_lettered == by_status[outcome_status::dead_lettered]);
    BOOST_TEST(s.escalated == by_status[outcome_status::escalated]);
    BOOST_TEST(s.failed == 0u); // with a dead-letter queue nothing just fails
    BOOST_TEST(s.completed + s.dead_lettered + s.escalated == static_cast<uint64_t>(tasks));
    BOOST_TEST(s.pending() == 0u);
    BOOST_TEST(s.balanced());
    BOOST_TEST(by_status[outcome_status::dead_lettered] > 0u);
    BOOST_TEST(by_status[outcome_status::escalated] > 0u);
    auto restarts = rt.metrics().total("herd_restarts_total", {{"supervisor", "pool:default"}});
    auto abandoned =
        rt.metrics().total("herd_children_abandoned_total", {{"supervisor", "pool:default"}});
    BOOST_TEST_MESSAGE("runtime chaos: " << by_status[outcome_status::completed] << " completed, "
                                         << s.dead_lettered << " dead-lettered, " << s.escalated
                                         << " escalated, " << restarts << " restarts, " << abandoned
                                         << " hung agents replaced");
    BOOST_TEST(abandoned > 10);
    BOOST_TEST(restarts > abandoned);
    // The dead letters are in the database, durably.
    dead_letter_store store{dl.db};
    BOOST_TEST(static_cast<uint64_t>(store.stats().total) == s.dead_lettered);
  }
  // Hung incarnations ignore exits: their supervisors kill them after the shutdown timeout.
  vt.advance(from_ms(10000));
}

BOOST_AUTO_TEST_SUITE_END()
