// The acceptance test of the task journal (#16): a child process runs a runtime with a journal
// at durability "sync", enqueues 10,000 tasks through the acknowledgement API and writes each
// acknowledged id to a file; the parent SIGKILLs it at a random moment (0-750 ms after its first
// acknowledgement), four times (each child starts on the journal the one before left). Then a
// runtime in the parent finishes the work. Every acknowledged task ends exactly once as
// completed: none is lost, none that completed runs to completion again (its duplicate answers
// the recorded outcome), and the journal passes `PRAGMA integrity_check`. Execution is
// at-least-once: an attempt in flight at a kill runs again after the restart, which the
// side-effect log shows (and the test reports).
#include <chrono>
#include <csignal>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/dispatch/agent.hpp"
#include "herd/journal/task_journal.hpp"
#include "herd/runtime/runtime.hpp"

using namespace herd;

namespace {

constexpr int total_tasks = 10000;
constexpr int kills = 4;

/// Appends "<task id>\n" to a file opened with O_APPEND before it completes each task: the side
/// effect whose count shows how often a task ran. With `ran`, also notes the id in memory.
class side_effect_agent : public agent {
public:
  side_effect_agent(caf::actor_config& cfg, int fd, std::shared_ptr<std::set<std::string>> ran,
                    std::shared_ptr<std::mutex> mtx)
      : agent(cfg), fd_(fd), ran_(std::move(ran)), mtx_(std::move(mtx)) {}

protected:
  outcome handle(const task& t) override {
    auto line = t.id + "\n";
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      return outcome::fail(failure::unknown("side-effect log write failed"));
    if (ran_) {
      std::lock_guard<std::mutex> guard{*mtx_};
      ran_->insert(t.id);
    }
    return outcome::success(t.id);
  }

private:
  int fd_;
  std::shared_ptr<std::set<std::string>> ran_;
  std::shared_ptr<std::mutex> mtx_;
};

runtime_config crash_config(const std::string& journal) {
  runtime_config config;
  config.threads = 2;
  config.log_level = "off";
  config.dispatcher.intake_capacity = 2 * total_tasks;
  config.dispatcher.completed_capacity = 2 * total_tasks;
  config.pools["work"].concurrency = 32;
  config.journal.durability = journal_config::durability_level::sync;
  config.journal.file = journal;
  return config;
}

std::string task_id(int i) {
  return "job-" + std::to_string(i);
}

/// The child: enqueues every task (a duplicate of an earlier child's is acknowledged at once)
/// in windows, appending each acknowledged id to `acked`, then keeps working until killed.
[[noreturn]] void child(const std::string& journal, const std::string& acked,
                        const std::string& effects) {
  try {
    int acked_fd = ::open(acked.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int effects_fd = ::open(effects.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (acked_fd < 0 || effects_fd < 0)
      ::_exit(2);
    herd::runtime rt{crash_config(journal)};
    rt.spawn_pool<side_effect_agent>("work", 4, effects_fd, nullptr, nullptr);
    constexpr int window = 500;
    for (int first = 0; first < total_tasks; first += window) {
      std::vector<std::future<caf::expected<std::string>>> acks;
      for (int i = first; i < first + window && i < total_tasks; ++i)
        acks.push_back(rt.enqueue_async(task::make(task_id(i), "read_only", i, "work")));
      std::string lines;
      for (auto& ack : acks)
        if (auto id = ack.get())
          lines += *id + "\n";
      if (::write(acked_fd, lines.data(), lines.size()) != static_cast<ssize_t>(lines.size()))
        ::_exit(3);
    }
    for (;;)
      ::pause();
  } catch (...) {
    ::_exit(4);
  }
}

/// The complete lines of `file`.
std::vector<std::string> lines_of(const std::string& file) {
  auto text = test::file_contents(file);
  std::vector<std::string> result;
  size_t start = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    result.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return result; // a line cut by the kill has no newline and is left out
}

} // namespace

BOOST_AUTO_TEST_SUITE(journal_crash)

BOOST_AUTO_TEST_CASE(every_acknowledged_task_ends_exactly_once_across_sigkills) {
  test::temp_dir dir;
  auto journal = dir.file("tasks.db");
  auto acked_file = dir.file("acked.txt");
  auto effects_file = dir.file("effects.txt");
  std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> kill_after_ms{0, 750};
  for (int k = 0; k < kills; ++k) {
    auto acked_before = lines_of(acked_file).size();
    auto pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0)
      child(journal, acked_file, effects_file);
    // A random moment once this child acknowledges (a loaded machine may take seconds to start
    // a sanitized child; a kill before its first acknowledgement would test nothing new).
    auto started = std::chrono::steady_clock::now();
    while (lines_of(acked_file).size() == acked_before &&
           std::chrono::steady_clock::now() - started < std::chrono::seconds(30))
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto wait_ms = kill_after_ms(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    BOOST_REQUIRE(::kill(pid, SIGKILL) == 0);
    int status = 0;
    BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_REQUIRE_MESSAGE(WIFSIGNALED(status),
                          "child " << k << " ended before the kill, status " << status);
    BOOST_TEST_MESSAGE("kill " << k + 1 << " " << wait_ms << " ms after its first acknowledgement: "
                               << lines_of(acked_file).size() << " acknowledgements so far");
  }
  std::set<std::string> acked;
  for (auto& id : lines_of(acked_file))
    acked.insert(id);
  BOOST_TEST_MESSAGE(acked.size() << " distinct tasks acknowledged before the last kill");
  BOOST_REQUIRE(!acked.empty());
  std::set<std::string> completed_before;
  {
    task_journal before{journal, {}};
    BOOST_TEST(before.integrity_check() == "ok");
    for (auto& o : before.recover(2 * total_tasks).completed)
      completed_before.insert(o.task_id);
  }
  // A new runtime on the journal finishes the work; a submit of each acknowledged id waits for
  // (or answers) its outcome.
  auto ran = std::make_shared<std::set<std::string>>();
  auto mtx = std::make_shared<std::mutex>();
  int effects_fd = ::open(effects_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  BOOST_REQUIRE(effects_fd >= 0);
  {
    herd::runtime rt{crash_config(journal)};
    rt.spawn_pool<side_effect_agent>("work", 4, effects_fd, ran, mtx);
    std::vector<std::future<caf::expected<outcome>>> results;
    for (auto& id : acked)
      results.push_back(rt.submit(task::make(id, "read_only", nullptr, "work")));
    int completed = 0;
    for (auto& f : results) {
      auto o = f.get();
      BOOST_REQUIRE(o);
      completed += o->ok() ? 1 : 0;
    }
    BOOST_TEST(completed == static_cast<int>(acked.size()));
    auto report = rt.shutdown(from_ms(5000));
    BOOST_TEST(report.stats.balanced());
  }
  ::close(effects_fd);
  // None that completed before ran to completion again.
  int reran = 0;
  for (auto& id : *ran)
    reran += completed_before.count(id);
  BOOST_TEST(reran == 0);
  // The journal: every acknowledged task has exactly one completed record, nothing is unfinished
  // that was acknowledged, and the file is sound.
  task_journal after{journal, {}};
  BOOST_TEST(after.integrity_check() == "ok");
  int missing = 0;
  for (auto& id : acked)
    missing += after.completed(id) ? 0 : 1;
  BOOST_TEST(missing == 0);
  BOOST_TEST(after.unfinished_count() == 0);
  {
    sqlite_connection db{journal};
    db.open(true, false);
    sqlite_statement twice{db, "SELECT COUNT(*) FROM (SELECT task_id FROM settled "
                               "WHERE status = 'completed' GROUP BY task_id HAVING COUNT(*) > 1)"};
    BOOST_REQUIRE(twice.step());
    BOOST_TEST(twice.integer(0) == 0); // no task id completed twice
  }
  // Executions (side effects): at least once each; more than once only for an attempt in flight
  // at a kill.
  std::map<std::string, int> runs;
  for (auto& id : lines_of(effects_file))
    ++runs[id];
  int never_ran = 0;
  int ran_twice = 0;
  for (auto& id : acked) {
    never_ran += runs[id] == 0 ? 1 : 0;
    ran_twice += runs[id] > 1 ? 1 : 0;
  }
  BOOST_TEST(never_ran == 0);
  BOOST_TEST_MESSAGE(ran_twice << " of " << acked.size()
                               << " tasks ran more than once (in flight at a kill: "
                                  "at-least-once execution)");
}

BOOST_AUTO_TEST_SUITE_END()
