// The task journal in a running runtime (real scheduler: the journal's writer thread answers by
// message): an enqueue is acknowledged once durable; a runtime that starts on a journal re-enters
// the unfinished tasks and answers a duplicate of a completed one with its recorded outcome; a
// dispatcher restarted by supervision reloads what it held; a second runtime on the same journal
// is refused; durability "none" writes nothing.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/errc.hpp"
#include "herd/dead_letters/store_error.hpp"
#include "herd/dispatch/agent.hpp"
#include "herd/journal/task_journal.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/supervision/protocol.hpp"

using namespace herd;

namespace {

/// What the agents of a test share: the tasks they ran (a side effect each), and whether they
/// hold new tasks instead of finishing them (a task in flight at a crash).
struct run_log {
  std::mutex mtx;
  std::map<std::string, int> runs;
  bool hold = false;
  std::vector<task_completion> held;

  int runs_of(const std::string& id) {
    std::lock_guard<std::mutex> guard{mtx};
    return runs.count(id) > 0 ? runs[id] : 0;
  }
};

/// Completes each task with {"id": its id}, counting the run; holds it while the log says so.
class logging_agent : public agent {
public:
  logging_agent(caf::actor_config& cfg, std::shared_ptr<run_log> log)
      : agent(cfg), log_(std::move(log)) {}

protected:
  void handle_async(const task& t, task_completion done) override {
    std::lock_guard<std::mutex> guard{log_->mtx};
    if (log_->hold) {
      log_->held.push_back(done);
      return;
    }
    ++log_->runs[t.id];
    done.succeed({{"id", t.id}});
  }

private:
  std::shared_ptr<run_log> log_;
};

struct journal_fixture {
  test::temp_dir dir;
  std::string file = dir.file("tasks.db");
  std::shared_ptr<run_log> log = std::make_shared<run_log>();

  runtime_config config(bool durable = true) {
    runtime_config c;
    c.threads = 2;
    c.log_level = "error";
    c.pools["p"].concurrency = 8;
    if (durable) {
      c.journal.durability = journal_config::durability_level::sync;
      c.journal.file = file;
    }
    return c;
  }

  static task work(const std::string& id) { return task::make(id, "read_only", {{"n", 1}}, "p"); }

  /// Rows of `table` in the journal, read beside the runtime that holds it (WAL readers).
  int64_t rows(const std::string& table) {
    sqlite_connection db{file};
    db.open(true, false);
    sqlite_statement count{db, "SELECT COUNT(*) FROM " + table};
    return count.step() ? count.integer(0) : -1;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_journal, journal_fixture)

BOOST_AUTO_TEST_CASE(an_enqueue_is_acknowledged_once_the_task_is_in_the_journal) {
  herd::runtime rt{config()};
  log->hold = true;
  rt.spawn_pool<logging_agent>("p", 1, log);
  auto id = rt.enqueue(work("e-1"));
  BOOST_REQUIRE(id);
  BOOST_TEST(*id == "e-1");
  BOOST_TEST(rows("unfinished") == 1);  // durable before the acknowledgement
  auto again = rt.enqueue(work("e-1")); // a duplicate is acknowledged, and runs once
  BOOST_REQUIRE(again);
  auto refused = rt.enqueue(task::make("e-2", "read_only", nullptr, "no-such-pool"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST((refused.error() == errc::unknown_pool));
  BOOST_TEST(rt.system().render(refused.error()).find("no-such-pool") != std::string::npos);
  BOOST_TEST(rt.metrics().total("herd_journal_commits_total") >= 1);
  rt.shutdown(from_ms(0));
}

BOOST_AUTO_TEST_CASE(a_second_runtime_on_the_same_journal_is_refused) {
  herd::runtime first{config()};
  std::string error;
  try {
    herd::runtime second{config()};
  } catch (const store_error& e) {
    error = e.what();
  }
  BOOST_TEST_MESSAGE(error);
  BOOST_TEST(error.find("in use by another running herd") != std::string::npos);
  first.shutdown(from_ms(0));
}

BOOST_AUTO_TEST_CASE(unfinished_tasks_re_enter_when_a_runtime_starts_on_the_journal) {
  {
    herd::runtime rt{config()};
    log->hold = true;
    rt.spawn_pool<logging_agent>("p", 1, log);
    for (int i = 0; i < 5; ++i)
      BOOST_REQUIRE(rt.enqueue(work("u-" + std::to_string(i))));
    auto report = rt.shutdown(from_ms(0)); // handed back: they stay in the journal
    BOOST_TEST(report.unfinished.size() == 5u);
  }
  BOOST_TEST(rows("unfinished") == 5);
  log->hold = false;
  herd::runtime rt{config()};
  rt.spawn_pool<logging_agent>("p", 2, log);
  for (int i = 0; i < 5; ++i) {
    auto result = rt.submit(work("u-" + std::to_string(i))).get(); // joins the re-entered task
    BOOST_REQUIRE(result);
    BOOST_TEST(result->ok());
    BOOST_TEST(log->runs_of("u-" + std::to_string(i)) == 1);
  }
  auto stats = rt.stats();
  BOOST_TEST(stats.reentered == 5u);
  BOOST_TEST(stats.accepted == 0u);
  BOOST_TEST(stats.balanced());
  rt.shutdown(from_ms(1000));
  BOOST_TEST(rows("unfinished") == 0);
}

BOOST_AUTO_TEST_CASE(a_duplicate_after_a_restart_answers_the_recorded_outcome) {
  {
    herd::runtime rt{config()};
    rt.spawn_pool<logging_agent>("p", 1, log);
    auto result = rt.run(work("d-1"));
    BOOST_REQUIRE(result);
    BOOST_TEST(result->ok());
    rt.shutdown(from_ms(1000));
  }
  herd::runtime rt{config()};
  rt.spawn_pool<logging_agent>("p", 1, log);
  auto again = rt.run(work("d-1"));
  BOOST_REQUIRE(again);
  BOOST_TEST(again->ok());
  BOOST_TEST(again->result_json() == (nlohmann::json{{"id", "d-1"}}));
  BOOST_TEST(log->runs_of("d-1") == 1); // not run again
  BOOST_TEST(rt.stats().duplicates == 1u);
  rt.shutdown(from_ms(1000));
}

BOOST_AUTO_TEST_CASE(a_restarted_dispatcher_reloads_what_it_held_from_the_journal) {
  herd::runtime rt{config()};
  caf::scoped_actor self{rt.system()};
  rt.subscribe_supervision(self);
  log->hold = true;
  rt.spawn_pool<logging_agent>("p", 1, log);
  for (int i = 0; i < 3; ++i)
    BOOST_REQUIRE(rt.enqueue(work("r-" + std::to_string(i))));
  auto old = rt.dispatcher();
  log->hold = false; // the new incarnations of the agents finish what they get
  caf::anon_send_exit(old, caf::exit_reason::kill);
  bool pools_back = false;
  while (!pools_back) {
    bool timed_out = false;
    self->receive([&](restarted_atom, const std::string& id, const caf::actor&,
                      const caf::actor&) { pools_back = id == "pools"; },
                  [&](sup_event_atom, const supervision_event&) {},
                  caf::after(std::chrono::seconds(10)) >> [&] { timed_out = true; });
    BOOST_REQUIRE(!timed_out);
  }
  BOOST_TEST((rt.dispatcher() != old));
  for (int i = 0; i < 3; ++i) {
    auto result = rt.submit(work("r-" + std::to_string(i))).get();
    BOOST_REQUIRE(result);
    BOOST_TEST(result->ok());
  }
  BOOST_TEST(rt.stats().reentered == 3u);
  rt.shutdown(from_ms(1000));
}

BOOST_AUTO_TEST_CASE(durability_none_writes_no_journal) {
  auto c = config(false);
  c.dead_letters = dead_letter_queue_config{};
  c.dead_letters->db = dir.file("dl.db");
  BOOST_TEST(!c.journal.durable());
  {
    herd::runtime rt{c};
    rt.spawn_pool<logging_agent>("p", 1, log);
    auto id = rt.enqueue(work("n-1"));
    BOOST_REQUIRE(id);
    auto result = rt.submit(work("n-1")).get();
    BOOST_REQUIRE(result);
    BOOST_TEST(result->ok());
    BOOST_TEST(rt.metrics().total("herd_journal_commits_total") == 0);
    rt.shutdown(from_ms(1000));
  }
  BOOST_TEST(!std::filesystem::exists(c.journal_file()));
  BOOST_TEST(!std::filesystem::exists(file));
}

BOOST_AUTO_TEST_CASE(durability_sync_without_a_file_is_a_config_error) {
  std::string error;
  try {
    runtime_config::from_json(nlohmann::json::parse(R"({"journal": {"durability": "sync"}})"));
  } catch (const config_error& e) {
    error = e.what();
  }
  BOOST_TEST(error.find("/journal/file") != std::string::npos, error);
  auto beside = runtime_config::from_json(nlohmann::json::parse(
      R"({"journal": {"durability": "sync"}, "dead_letters": {"db": "dl.db"}})"));
  BOOST_TEST(beside.journal_file() == "dl.db.tasks");
  BOOST_TEST(beside.to_json()["journal"]["durability"] == "sync");
}

BOOST_AUTO_TEST_SUITE_END()
