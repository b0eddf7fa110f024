#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "herd/dead_letters/store_error.hpp"
#include "herd/storage/sqlite_connection.hpp"
#include "herd/workflow/workflow_command.hpp"
#include "herd/workflow/workflow_record.hpp"

namespace herd {

/// The durable home of workflow runs: their records, every step's state and result, and the
/// operators' commands, in SQLite tables of their own (`workflow_*`) that may share the
/// dead-letter database or live in a file of their own. WAL mode, `synchronous=FULL` by default:
/// a `save` that returned survives a crash and a power loss, so a step's result is durable
/// before the next step starts. The schema version is kept in `workflow_schema` (the file's
/// `user_version` belongs to the dead-letter store); a file from a newer herd is never written.
/// Readers (the CLI) and the service may use the file at once; every failure throws
/// `store_error` naming the file. Not thread-safe: one owner per object.
class workflow_store {
public:
  /// The schema version this herd writes. Version 1: runs, steps and commands.
  static constexpr int latest_schema_version = 1;

  /// How to open a file.
  enum class open_mode {
    /// Create the file and the tables if missing; migrate older tables.
    create,
    /// The file must exist; tables are created or migrated (the writing commands).
    existing,
    /// The file and the tables must exist; nothing is written (the reading commands).
    read_only,
  };

  /// Opens `file` as `mode` says; `synchronous` is "full" (default) or "normal".
  explicit workflow_store(const std::string& file, open_mode mode = open_mode::create,
                          const std::string& synchronous = "full");
  ~workflow_store();

  workflow_store(const workflow_store&) = delete;
  workflow_store& operator=(const workflow_store&) = delete;

  /// The database file.
  const std::string& file() const { return db_.file(); }
  /// The version of the workflow tables; 0 if there are none.
  int schema_version() const;
  /// The result of `PRAGMA integrity_check`: "ok" when the file is sound.
  std::string integrity_check() const;

  // -- runs -----------------------------------------------------------------------------------

  /// Stores a run and all its steps in one transaction. Durable when it returns.
  void save(const workflow_record& run);
  /// The run `id`, if stored.
  std::optional<workflow_record> load(const std::string& id) const;
  /// Runs newest first, all or only those with `status`, at most `limit` (0 = all).
  std::vector<workflow_record> list(std::optional<workflow_status> status, int64_t limit) const;
  /// The runs that have not ended (running or waiting), oldest first.
  std::vector<workflow_record> unfinished() const;

  // -- commands -------------------------------------------------------------------------------

  /// Records an operator's command for the service; returns it with its id.
  workflow_command add_command(const std::string& run_id, const std::string& command,
                               const std::string& value, const std::string& note, int64_t now_ms);
  /// The commands not carried out yet, oldest first.
  std::vector<workflow_command> pending_commands() const;
  /// Marks command `id` carried out with `result` ("ok" or the problem).
  void finish_command(int64_t id, const std::string& result, int64_t now_ms);

private:
  void migrate(int from);
  std::vector<workflow_record> select(const std::string& where, const std::string& order,
                                      const std::string& bind, int64_t limit) const;
  void read_steps(workflow_record& run) const;

  sqlite_connection db_;
};

} // namespace herd
