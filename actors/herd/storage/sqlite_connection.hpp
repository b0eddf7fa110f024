#pragma once

#include <cstdint>
#include <functional>
#include <string>

struct sqlite3;

namespace herd {

/// One SQLite connection to a herd database file (the dead letters, the task history), opened
/// with herd's checks; every failure is a `store_error` naming the file. One owner at a time (no
/// SQLite mutex).
class sqlite_connection {
public:
  /// What `open` found in the file.
  struct probe {
    /// True if the file has no schema and no application id yet (new or empty).
    bool fresh = false;
    /// The file's `PRAGMA application_id`.
    int64_t application_id = 0;
    /// Objects in its schema (tables, indexes).
    int64_t objects = 0;
  };

  /// "herd" in ASCII: the `PRAGMA application_id` of every herd database.
  static constexpr int64_t herd_application_id = 0x68657264;

  /// A connection to `file`, not yet open.
  explicit sqlite_connection(std::string file);
  /// Closes the connection.
  ~sqlite_connection();
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  /// Opens the file (read-only, read-write, or also creating it) and reads its application id
  /// and schema size; a reader in a read-only directory falls back to reading the file as it
  /// is. Throws `store_error`: no such file (unless `create`), a directory, or a file that has
  /// a schema and another application id ("not a herd database").
  probe open(bool read_only, bool create);
  /// Switches to WAL with `synchronous` ("FULL" or "NORMAL"); marks a fresh file as herd's.
  void use_wal(const std::string& synchronous, bool fresh);
  /// Closes the connection; idempotent.
  void close();

  /// Runs `sql` (one or more statements); throws `store_error`.
  void exec(const std::string& sql) const;
  /// Rolls back the open transaction, if any; never throws.
  void rollback() const;
  /// The lines of `PRAGMA integrity_check`, joined by newlines: "ok" for a sound file.
  std::string integrity_check() const;
  /// `PRAGMA user_version`: the schema version a store recorded there, 0 for a new file.
  int user_version() const;
  /// Brings a schema from version `from` to `to`: runs `migrations[v]` for each v in [from, to),
  /// one transaction each, and records v + 1 in it with `record` (default: `PRAGMA
  /// user_version`). `recorded` (default: `user_version`) is read again inside each
  /// transaction, so a step another process made meanwhile is skipped. A failed step is rolled
  /// back and throws `store_error`: "migration of <what> to version <v + 1> failed: ...".
  void migrate(const char* const* migrations, int from, int to, const std::string& what,
               const std::function<int()>& recorded = {},
               const std::function<void(int)>& record = {}) const;
  /// Rows the last statement changed.
  int64_t changes() const;
  /// The rowid of the last insert.
  int64_t last_insert_rowid() const;
  /// Throws `store_error` with `problem`.
  [[noreturn]] void fail(const std::string& problem) const;
  /// Throws `store_error` with SQLite's last error (a corrupt file says how to salvage it).
  [[noreturn]] void fail_sqlite() const;
  /// SQLite's primary result code of the last call.
  int error_code() const;

  /// The database file.
  const std::string& file() const { return file_; }
  /// The SQLite handle; nullptr before `open`.
  sqlite3* handle() const { return db_; }

private:
  void open_as(const std::string& name, int flags);

  std::string file_;
  sqlite3* db_ = nullptr;
};

/// `path` with the characters that mean something in an SQLite URI percent-encoded.
std::string sqlite_uri_path(const std::string& path);

} // namespace herd
