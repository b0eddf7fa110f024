// Resource locks through the whole runtime in virtual time: agents take a lock around their
// work with `with_lock`, get fencing tokens that rise, and release; 10,000 tasks contend for 20
// locks while agents crash and hang holding them, and an invariant checker sees no two live
// holders of one lock at once while every task ends exactly once.
#include <map>
#include <memory>
#include <random>

#include <boost/test/unit_test.hpp>

#include "herd/dispatch/agent.hpp"
#include "herd/locks/protocol.hpp"
#include "herd/runtime/runtime.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;

namespace {

/// Watches the holders of every lock as the agents see them. A grant that arrives while
/// another live holder's lease still runs is a violation; so is a token that does not rise.
/// Holders that hung may be displaced before their lease ends (the health monitor isolated them
/// and their locks were revoked): their later writes would carry a stale token, which the
/// fenced store below refuses.
struct holder_checker {
  struct holding {
    uint64_t token;
    time_point expires;
    bool hung;
  };
  std::map<std::string, holding> current;
  std::map<std::string, uint64_t> highest; // the fenced store: the largest token written
  size_t grants = 0;
  size_t violations = 0;
  size_t displaced_hung = 0;
  size_t stale_writes = 0;

  void enter(const std::string& lock, const lock_grant& g, time_point now) {
    ++grants;
    if (g.token <= highest[lock])
      ++violations;
    auto i = current.find(lock);
    if (i != current.end() && now < i->second.expires)
      ++(i->second.hung ? displaced_hung : violations);
    current[lock] = {g.token, g.expires, false};
    highest[lock] = g.token;
  }
  /// A fenced write: refused when a newer token has written.
  bool write(const std::string& lock, uint64_t token) {
    if (token < highest[lock]) {
      ++stale_writes;
      return false;
    }
    return true;
  }
  void leave(const std::string& lock, uint64_t token) {
    auto i = current.find(lock);
    if (i != current.end() && i->second.token == token)
      current.erase(i);
  }
  /// The holder of `token` died: its lock is free at once.
  void died(const std::string& lock, uint64_t token) { leave(lock, token); }
  void hung(const std::string& lock, uint64_t token) {
    auto i = current.find(lock);
    if (i != current.end() && i->second.token == token)
      i->second.hung = true;
  }
};

using finish_atom = caf::atom_constant<caf::atom("lk_finish")>;
using run_counter = std::shared_ptr<std::map<std::string, int>>;

/// Takes lock "L<payload % 20>" for each task, works 20 ms under it (a fenced write at the
/// end) and releases; crashes on `crash_rate` of its tasks and hangs for good on `hang_rate`,
/// both while holding the lock.
class locking_agent : public agent {
public:
  locking_agent(caf::actor_config& cfg, std::shared_ptr<std::mt19937_64> rng,
                std::shared_ptr<holder_checker> checker, run_counter runs, double crash_rate,
                double hang_rate)
      : agent(cfg), rng_(std::move(rng)), checker_(std::move(checker)), runs_(std::move(runs)),
        crash_rate_(crash_rate), hang_rate_(hang_rate) {}

protected:
  void handle_async(const task& t, task_completion done) override {
    auto lock = "L" + std::to_string(t.payload_json().get<int>() % 20);
    with_lock(
        lock, from_ms(2000),
        [this, lock](const lock_grant& g, std::function<void(outcome)> finish) {
          checker_->enter(lock, g, clock().now());
          auto u = std::uniform_real_distribution<double>{0.0, 1.0}(*rng_);
          if (u < crash_rate_) {
            checker_->died(lock, g.token);
            quit(caf::sec::runtime_error);
            return;
          }
          if (u < crash_rate_ + hang_rate_) {
            checker_->hung(lock, g.token);
            set_default_handler(caf::skip);
            set_exit_handler([](caf::exit_msg&) {});
            become(caf::behavior{[](call_atom) {}});
            return;
          }
          auto key = ++next_work_;
          work_[key] = [this, lock, token = g.token, finish] {
            if (checker_->write(lock, token))
              checker_->leave(lock, token);
            finish(outcome::success());
          };
          delayed_send(this, from_ms(20), finish_atom::value, key);
        },
        [this, id = t.id, done](outcome o) {
          if (o.ok())
            ++(*runs_)[id];
          done.finish(std::move(o));
        });
  }

  caf::message_handler extra_handlers() override {
    return {[this](finish_atom, uint64_t key) {
      auto i = work_.find(key);
      if (i == work_.end())
        return;
      auto finish = std::move(i->second);
      work_.erase(i);
      finish();
    }};
  }

private:
  std::shared_ptr<std::mt19937_64> rng_;
  std::shared_ptr<holder_checker> checker_;
  run_counter runs_;
  double crash_rate_;
  double hang_rate_;
  uint64_t next_work_ = 0;
  std::map<uint64_t, std::function<void()>> work_;
};

struct locks_fixture : test::virtual_time_fixture {
  std::shared_ptr<std::mt19937_64> rng = std::make_shared<std::mt19937_64>(20);
  std::shared_ptr<holder_checker> checker = std::make_shared<holder_checker>();
  run_counter runs = std::make_shared<std::map<std::string, int>>();

  /// Submits `n` read_only tasks with payloads 0..n-1 and advances virtual time until all have
  /// ended (at most `max_seconds`); returns their outcomes.
  std::vector<outcome> run_tasks(herd::runtime& rt, int n, int max_seconds) {
    std::vector<std::future<caf::expected<outcome>>> futures;
    for (int i = 0; i < n; ++i)
      futures.push_back(rt.submit(task::make("task-" + std::to_string(i), "read_only", i)));
    auto all_ready = [&] {
      return std::all_of(futures.begin(), futures.end(), [](auto& f) {
        return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
      });
    };
    for (int step = 0; step < max_seconds && !all_ready(); ++step)
      vt.advance(from_ms(1000));
    if (!all_ready()) {
      auto s = rt.stats();
      BOOST_TEST_MESSAGE("not ended: accepted " << s.accepted << ", completed " << s.completed
                                                << ", failed " << s.failed << ", queued "
                                                << s.queued << ", grants " << checker->grants);
    }
    BOOST_REQUIRE(all_ready());
    std::vector<outcome> result;
    for (auto& f : futures) {
      auto o = f.get();
      BOOST_REQUIRE(o);
      result.push_back(std::move(*o));
    }
    return result;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_locks, locks_fixture)

BOOST_AUTO_TEST_CASE(agents_work_under_locks_with_rising_tokens_and_release_them) {
  runtime_config rc;
  rc.log_level = "off";
  rc.locks.lease = from_ms(5000);
  {
    herd::runtime rt{sys, rc};
    BOOST_REQUIRE(rt.lock_manager());
    rt.spawn_pool<locking_agent>("default", 4, rng, checker, runs, 0.0, 0.0);
    vt.run();
    auto results = run_tasks(rt, 200, 600);
    for (auto& o : results)
      BOOST_TEST(o.ok());
    BOOST_TEST(checker->grants == 200u);
    BOOST_TEST(checker->violations == 0u);
    BOOST_TEST(checker->stale_writes == 0u);
    BOOST_TEST(rt.metrics().total("herd_lock_grants_total") == 200.0);
    BOOST_TEST(rt.metrics().total("herd_locks_held") == 0.0);
  }
  vt.run();
}

// Seed 20 once displaced a live holder: an abandoned hung incarnation of default-13 was killed
// 5 s after its isolation, and its death released the locks of default-13's current incarnation
// (holders were names then, now incarnations).
BOOST_AUTO_TEST_CASE(ten_thousand_tasks_on_twenty_locks_with_crashing_and_hanging_agents) {
  constexpr int tasks = 10000;
  runtime_config rc;
  rc.log_level = "off";
  rc.health.watch = health_watch::heartbeats;
  // a hang stops the mailbox
  rc.dispatcher.intake_capacity = tasks;
  rc.dispatcher.lease_timeout = from_ms(60000);
  rc.dispatcher.max_requeues = 3;
  rc.supervision.max_restarts = 1000000; // chaos is the point here
  rc.retry.budget.min_retries_per_s = 1000;
  rc.locks.max_waiters = 4; // some requests find the queue full and are retried
  rc.locks.wait_timeout = from_ms(3000);
  std::map<outcome_status, size_t> by_status;
  {
    herd::runtime rt{sys, rc};
    rt.spawn_pool<locking_agent>("default", 16, rng, checker, runs, 0.005, 0.005);
    vt.run();
    std::map<std::string, int> ended;
    for (auto& o : run_tasks(rt, tasks, 7200)) {
      ++ended[o.task_id];
      ++by_status[o.status];
      if (o.ok())
        BOOST_TEST((*runs)[o.task_id] == 1); // its work completed once
    }
    BOOST_TEST(ended.size() == static_cast<size_t>(tasks)); // every task ended, each once
    auto s = rt.stats();
    BOOST_TEST(s.completed + s.failed + s.dead_lettered + s.escalated ==
               static_cast<uint64_t>(tasks));
    BOOST_TEST(s.balanced());
    BOOST_TEST(checker->violations == 0u); // never two live holders of one lock
    BOOST_TEST(checker->stale_writes == 0u);
    auto& m = rt.metrics();
    BOOST_TEST_MESSAGE("lock chaos: "
                       << by_status[outcome_status::completed] << " completed, " << s.failed
                       << " failed, " << checker->grants << " grants, "
                       << m.total("herd_lock_revocations_total") << " revoked, "
                       << m.total("herd_lock_expiries_total") << " expired, "
                       << checker->displaced_hung << " hung holders displaced, "
                       << m.total("herd_lock_refusals_total", {{"reason", "queue_full"}})
                       << " queue full, "
                       << m.total("herd_lock_refusals_total", {{"reason", "wait_timeout"}})
                       << " wait timeouts");
    BOOST_TEST(by_status[outcome_status::completed] > static_cast<size_t>(tasks * 9 / 10));
    BOOST_TEST(m.total("herd_lock_revocations_total") > 0.0); // crashed and isolated holders
    BOOST_TEST(m.total("herd_lock_grants_total") >= static_cast<double>(tasks));
  }
  // Hung incarnations ignore exits: their supervisors kill them after the shutdown timeout.
  vt.advance(from_ms(10000));
}

BOOST_AUTO_TEST_SUITE_END()
