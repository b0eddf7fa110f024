#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "herd/history/recovery_interval.hpp"
#include "herd/history/settled_task.hpp"
#include "herd/storage/sqlite_connection.hpp"

namespace herd {

/// The task history: settled tasks and recovery intervals in an SQLite file (by default the
/// dead-letter database), in tables of their own — `task_history`, `recovery_history` — whose
/// schema version is kept in the shared table `herd_schema` under the component "history", so
/// other components (the dead letters' `PRAGMA user_version`, a later task journal) version
/// their tables independently in the same file. A fresh file gets herd's `application_id`; a
/// foreign one (another application's, or not SQLite) is never written.
///
/// Durability: WAL, `synchronous=FULL`; `add` commits a batch in one transaction (group
/// commit) and the rows are durable when it returns. Times are wall-clock UTC epoch ms.
/// Every failure throws `store_error` naming the file and the problem. Not thread-safe: one
/// owner per object; several objects (the recorder, `herd report`, the ops endpoint) may share
/// a file.
class history_store {
public:
  /// The schema version of the history tables this herd writes. Version 1: task_history and
  /// recovery_history.
  static constexpr int latest_schema_version = 1;

  /// How to open a file.
  enum class open_mode {
    /// Create the file and the tables if missing; migrate older tables.
    create,
    /// The file and its history tables must exist; never written (works in a read-only
    /// directory): `herd report`.
    read_only,
  };

  /// Opens (or creates) `file`.
  explicit history_store(const std::string& file, open_mode mode = open_mode::create);
  ~history_store();

  history_store(const history_store&) = delete;
  history_store& operator=(const history_store&) = delete;

  // -- properties -----------------------------------------------------------------------------

  /// The database file.
  const std::string& file() const { return file_; }
  /// The schema version of the history tables in the file (0: none).
  int schema_version() const;
  /// Transactions `add` committed through this object.
  int64_t commits() const { return commits_; }

  // -- writing --------------------------------------------------------------------------------

  /// Stores `tasks` (times on the wall clock) and `recoveries` in one transaction. Durable when
  /// it returns; nothing is written if it throws.
  void add(const std::vector<settled_task>& tasks,
           const std::vector<recovery_interval>& recoveries);
  /// Deletes tasks settled and recoveries that ended before `cutoff_ms`; returns how many rows.
  int64_t purge_before(int64_t cutoff_ms);

  // -- reading --------------------------------------------------------------------------------

  /// Tasks settled at or after `since_ms`, in the order they were stored.
  std::vector<settled_task> tasks_since(int64_t since_ms) const;
  /// Recoveries that ended at or after `since_ms`, in the order they were stored.
  std::vector<recovery_interval> recoveries_since(int64_t since_ms) const;

private:
  void open_checked(open_mode mode);
  void migrate(int from);

  std::string file_;
  sqlite_connection db_;
  int64_t commits_ = 0;
};

} // namespace herd
