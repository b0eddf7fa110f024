#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "herd/core/outcome.hpp"
#include "herd/journal/journal_config.hpp"
#include "herd/journal/journal_record.hpp"
#include "herd/journal/journal_recovery.hpp"
#include "herd/storage/sqlite_connection.hpp"
#include "herd/storage/sqlite_statement.hpp"

namespace herd {

/// The task journal's file: accepted tasks that are not finished (each stored once, whole, at
/// acceptance), their failed attempts (small rows) and the settled tasks (a small row each, kept
/// for idempotency under the retention of `journal_config`). One SQLite file in WAL mode with
/// `synchronous=FULL`: `write` returns once its batch is committed and synced ("acknowledged =
/// durable", also across a power loss); one transaction per batch (group commit).
///
/// One writer only: the constructor takes an exclusive `flock` on "<file>-lock" for the life of
/// the object, so a second runtime on the same file (in this or another process) fails with a
/// clear error instead of writing beside the first. Every failure throws `store_error` naming
/// the file: a foreign or corrupt file, a schema newer than this herd, a held lock. Not
/// thread-safe: one owner (the journal writer's thread).
class task_journal {
public:
  /// The schema version this herd writes. Version 1: unfinished tasks, attempts, settled tasks.
  static constexpr int latest_schema_version = 1;

  /// Locks and opens (or creates) `file` and migrates it to the latest schema; `config` gives
  /// the retention.
  task_journal(const std::string& file, journal_config config);
  /// Closes the file and releases the lock.
  ~task_journal();

  task_journal(const task_journal&) = delete;
  task_journal& operator=(const task_journal&) = delete;

  // -- properties -----------------------------------------------------------------------------

  /// The database file.
  const std::string& file() const { return file_; }
  /// The lock file held while this object lives: "<file>-lock".
  std::string lock_file() const { return file_ + "-lock"; }
  /// The schema version of the file.
  int schema_version() const;
  /// The result of `PRAGMA integrity_check`: "ok" when the file is sound.
  std::string integrity_check() const;
  /// Tasks accepted and not settled.
  int64_t unfinished_count() const;
  /// Settled tasks kept (all terminal states).
  int64_t settled_count() const;
  /// Completed tasks kept.
  int64_t completed_count() const;

  // -- writing --------------------------------------------------------------------------------

  /// Writes `batch` in one transaction and syncs it; a task accepted and settled in the same
  /// batch is written as settled only. Then applies the retention to the settled tasks (bulk
  /// deletes by age at `now_ms` and by count). Durable when it returns.
  void write(const std::vector<journal_record>& batch, int64_t now_ms);
  /// Deletes settled tasks older than the retention's age at `now_ms` and beyond its count;
  /// returns how many.
  int64_t apply_retention(int64_t now_ms);

  // -- reading --------------------------------------------------------------------------------

  /// Every unfinished task with its attempts, and the newest `max_completed` completed outcomes.
  journal_recovery recover(int64_t max_completed) const;
  /// The recorded outcome of task `id` if it completed (and is still kept).
  std::optional<outcome> completed(const std::string& id) const;

private:
  using statement = sqlite_statement;

  void lock();
  void migrate(int from);

  std::string file_;
  journal_config config_;
  int lock_fd_ = -1;
  sqlite_connection db_;
  // Prepared once on db_, finalized before it closes.
  std::unique_ptr<statement> insert_task_;
  std::unique_ptr<statement> insert_attempt_;
  std::unique_ptr<statement> insert_settled_;
  std::unique_ptr<statement> delete_task_;
  std::unique_ptr<statement> delete_attempts_;
  int64_t last_seq_ = 0; // of the newest unfinished task: the order of acceptance
  std::unordered_set<std::string> with_attempts_; // unfinished tasks with failed attempts
  int64_t settled_since_retention_ = 0;
  int64_t last_age_check_ms_ = 0;
};

} // namespace herd
