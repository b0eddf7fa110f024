#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "herd/core/metrics_registry.hpp"
#include "herd/journal/journal_config.hpp"
#include "herd/journal/journal_record.hpp"
#include "herd/journal/journal_recovery.hpp"

namespace spdlog {
class logger;
}

namespace herd {

class task_journal;

/// Writes the task journal on a thread of its own, so no SQLite work runs on an actor's thread:
/// the dispatcher appends records (a copy under a short lock, numbered in order), and the
/// writer commits everything appended since its last commit in one transaction (group commit,
/// at most `journal_config::max_batch` records) and tells the listener up to which number the
/// records are durable. One writer per journal file, shared by the dispatcher's incarnations;
/// it outlives them, so a restarted dispatcher recovers what the one before appended.
///
/// Metrics: herd_journal_commits_total, herd_journal_batch_records (histogram),
/// herd_journal_commit_seconds (histogram), herd_journal_unfinished_tasks (gauge),
/// herd_journal_write_errors_total.
class journal_writer {
public:
  /// Told after each commit: every record numbered up to `seq` is durable, or, with a non-empty
  /// `error`, the batch ending at `seq` failed and is not.
  using listener = std::function<void(uint64_t seq, const std::string& error)>;

  /// Starts the thread that writes `journal`, counting into `metrics` (may be null).
  journal_writer(std::unique_ptr<task_journal> journal, journal_config config,
                 std::shared_ptr<metrics_registry> metrics);
  /// Commits what is appended and stops (`close`).
  ~journal_writer();

  journal_writer(const journal_writer&) = delete;
  journal_writer& operator=(const journal_writer&) = delete;

  /// Appends a record for the next commit; returns its number (1, 2, ...).
  uint64_t append(journal_record&& x);
  /// The number of the last record appended (0: none).
  uint64_t appended() const;
  /// Replaces the listener told after each commit (nullptr: nobody).
  void listen(listener fn);

  /// Commits what is appended so far, then reads the journal: what a dispatcher starts with.
  /// Blocks the caller until done; throws the journal's `store_error`.
  journal_recovery recover(int64_t max_completed);
  /// Blocks until every record appended so far is committed.
  void flush();
  /// Runs `fn` on the writer's thread once every record appended so far is committed; blocks
  /// until it ran and rethrows what it threw.
  void run(const std::function<void(task_journal&)>& fn);
  /// Commits what is appended, stops the thread and closes the journal (releasing its lock).
  /// Idempotent.
  void close();

  /// The journal's file.
  const std::string& file() const { return file_; }
  /// The configuration.
  const journal_config& config() const { return config_; }

private:
  struct job {
    uint64_t after = 0; // runs once records up to this number are committed
    std::function<void(task_journal&)> fn;
  };

  void loop();

  std::string file_;
  journal_config config_;
  std::unique_ptr<task_journal> journal_;
  std::shared_ptr<spdlog::logger> log_;

  mutable std::mutex mtx_;
  std::condition_variable wake_;
  std::vector<journal_record> pending_; // appended, not yet taken by the writer
  uint64_t appended_ = 0;               // number of the newest appended record
  uint64_t taken_ = 0;                  // number of the newest record the writer took
  std::vector<job> jobs_;
  listener listener_;
  bool stopping_ = false;
  bool closed_ = false;
  std::thread thread_;

  counter* commits_metric_ = nullptr;
  counter* errors_metric_ = nullptr;
  histogram* batch_metric_ = nullptr;
  histogram* latency_metric_ = nullptr;
  gauge* unfinished_metric_ = nullptr;
};

} // namespace herd
