#include "herd/history/history_store.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>

#include <sqlite3.h>

#include "herd/dead_letters/store_error.hpp"

namespace herd {

namespace {

/// "herd" in ASCII: marks a database as herd's (`PRAGMA application_id`), as the dead-letter
/// store does.
constexpr int64_t herd_application_id = 0x68657264;

/// The component name of the history tables in `herd_schema`.
constexpr const char* component = "history";

/// The history's schema, one script per version; script i takes the tables from version i to
/// i + 1.
const char* const migrations[] = {
    // Version 1: settled tasks and recovery intervals; times are wall-clock UTC epoch ms. A task
    // settles more than once when a replay re-enters it, so the task id is not a key. Reports
    // select by time: one index each.
    "CREATE TABLE task_history("
    "  task_id TEXT NOT NULL, kind TEXT NOT NULL, pool TEXT NOT NULL, service TEXT NOT NULL,"
    "  state TEXT NOT NULL, attempts INTEGER NOT NULL, accepted_ms INTEGER NOT NULL,"
    "  settled_ms INTEGER NOT NULL, duration_ms INTEGER NOT NULL, agent TEXT NOT NULL);"
    "CREATE INDEX task_history_by_settled ON task_history(settled_ms);"
    "CREATE TABLE recovery_history("
    "  subject_type TEXT NOT NULL, subject TEXT NOT NULL, went_down_ms INTEGER NOT NULL,"
    "  recovered_ms INTEGER NOT NULL);"
    "CREATE INDEX recovery_history_by_recovered ON recovery_history(recovered_ms);",
};

static_assert(std::size(migrations) == size_t{history_store::latest_schema_version});

/// `path` with the characters that mean something in an SQLite URI percent-encoded.
std::string uri_path(const std::string& path) {
  std::string result;
  for (auto c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static const char hex[] = "0123456789ABCDEF";
      auto byte = static_cast<unsigned char>(c);
      result += {'%', hex[byte >> 4], hex[byte & 15]};
    } else {
      result += c;
    }
  }
  return result;
}

outcome_status state_named(const std::string& name) {
  for (auto x : {outcome_status::completed, outcome_status::failed, outcome_status::dead_lettered,
                 outcome_status::escalated, outcome_status::handed_back})
    if (to_string(x) == name)
      return x;
  return outcome_status::failed;
}

} // namespace

// -- statement: a prepared SQLite statement ---------------------------------------------------

class history_store::statement {
public:
  statement(const history_store& store, const char* sql) : store_(store) {
    if (sqlite3_prepare_v2(store.db_, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      store.fail_sqlite();
  }
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, const std::string& x) {
    sqlite3_bind_text(stmt_, i, x.data(), static_cast<int>(x.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind(int i, int64_t x) {
    sqlite3_bind_int64(stmt_, i, x);
    return *this;
  }
  /// Steps once; true if a row is ready.
  bool step() {
    auto rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
      return true;
    if (rc == SQLITE_DONE)
      return false;
    store_.fail_sqlite();
  }
  /// Steps to the end and resets for the next row.
  void run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int i) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string{p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))} : std::string{};
  }
  int64_t integer(int i) { return sqlite3_column_int64(stmt_, i); }

private:
  const history_store& store_;
  sqlite3_stmt* stmt_ = nullptr;
};

// -- opening ----------------------------------------------------------------------------------

history_store::history_store(const std::string& file, open_mode mode) : file_(file) {
  try {
    open_checked(mode);
  } catch (...) {
    sqlite3_close_v2(db_);
    throw;
  }
}

history_store::~history_store() {
  sqlite3_close_v2(db_);
}

void history_store::open_connection(const std::string& name, int flags) {
  sqlite3_close_v2(db_);
  db_ = nullptr;
  if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK)
    fail(std::string{"cannot open: "} + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
  sqlite3_extended_result_codes(db_, 1);
  // The recorder, `herd report` and the dead-letter queue may hold the write lock briefly.
  sqlite3_busy_timeout(db_, 5000);
}

void history_store::open_checked(open_mode mode) {
  std::error_code ec;
  bool exists = std::filesystem::exists(file_, ec);
  bool read_only = mode == open_mode::read_only;
  if (!exists && read_only)
    fail("no such database file");
  if (exists && std::filesystem::is_directory(file_, ec))
    fail("is a directory, not a database file");
  int flags = read_only ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  open_connection(file_, flags);
  int64_t app_id = 0;
  int64_t objects = 0;
  auto probe = [&] {
    statement id{*this, "PRAGMA application_id"};
    if (id.step())
      app_id = id.integer(0);
    statement count{*this, "SELECT COUNT(*) FROM sqlite_master"};
    if (count.step())
      objects = count.integer(0);
  };
  try {
    probe();
  } catch (const store_error&) {
    // A reader in a read-only directory cannot create the WAL index: read the file as it is.
    auto code = sqlite3_errcode(db_) & 0xff;
    if (!read_only || (code != SQLITE_CANTOPEN && code != SQLITE_READONLY))
      throw;
    open_connection("file:" + uri_path(file_) + "?immutable=1", flags | SQLITE_OPEN_URI);
    probe();
  }
  bool fresh = app_id == 0 && objects == 0;
  if (fresh && read_only)
    fail("empty file, not a herd database; nothing was changed");
  if (!fresh && app_id != herd_application_id)
    fail("not a herd database (application_id " + std::to_string(app_id) + ", " +
         std::to_string(objects) + " schema objects); nothing was changed");
  int version = schema_version();
  if (version > latest_schema_version)
    fail("its task history has schema version " + std::to_string(version) +
         ", newer than this herd supports (up to " + std::to_string(latest_schema_version) +
         "); upgrade herd; nothing was changed");
  if (read_only) {
    if (version == 0)
      fail("no task history in this database (was the runtime's \"history\" turned off, or "
           "has no runtime with history used it yet?)");
    return;
  }
  {
    statement wal{*this, "PRAGMA journal_mode=WAL"};
    if (!wal.step() || wal.text(0) != "wal")
      fail("cannot switch to WAL mode");
  }
  exec("PRAGMA synchronous=FULL");
  if (fresh)
    exec("PRAGMA application_id = " + std::to_string(herd_application_id));
  if (version < latest_schema_version)
    migrate(version);
}

void history_store::migrate(int from) {
  exec("BEGIN IMMEDIATE");
  try {
    exec("CREATE TABLE IF NOT EXISTS herd_schema(component TEXT PRIMARY KEY NOT NULL, version "
         "INTEGER NOT NULL)");
    // Another process may have migrated while this one waited for the lock.
    int version = std::max(from, schema_version());
    for (; version < latest_schema_version; ++version)
      exec(migrations[version]);
    statement mark{*this, "INSERT OR REPLACE INTO herd_schema(component, version) VALUES(?1, ?2)"};
    mark.bind(1, std::string{component}).bind(2, int64_t{version});
    mark.run();
    exec("COMMIT");
  } catch (const store_error& e) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    fail("migration of the task history to schema version " +
         std::to_string(latest_schema_version) + " failed: " + e.problem());
  }
}

int history_store::schema_version() const {
  statement table{*this, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
                         "'herd_schema'"};
  if (!table.step() || table.integer(0) == 0)
    return 0;
  statement version{*this, "SELECT version FROM herd_schema WHERE component = ?1"};
  version.bind(1, std::string{component});
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

void history_store::exec(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string problem = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    fail(problem);
  }
}

void history_store::fail(const std::string& problem) const {
  throw store_error(file_, problem);
}

void history_store::fail_sqlite() const {
  auto code = sqlite3_errcode(db_) & 0xff;
  std::string message = sqlite3_errmsg(db_);
  if (code == SQLITE_NOTADB)
    fail("not a herd database (" + message + "); nothing was changed");
  if (code == SQLITE_CORRUPT)
    fail("corrupt (" + message +
         "); restore it from a backup or salvage it with sqlite3's .recover");
  fail(message);
}

// -- writing ----------------------------------------------------------------------------------

void history_store::add(const std::vector<settled_task>& tasks,
                        const std::vector<recovery_interval>& recoveries) {
  if (tasks.empty() && recoveries.empty())
    return;
  exec("BEGIN IMMEDIATE");
  try {
    if (!tasks.empty()) {
      statement row{*this, "INSERT INTO task_history(task_id, kind, pool, service, state, "
                           "attempts, accepted_ms, settled_ms, duration_ms, agent) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"};
      for (auto& t : tasks) {
        row.bind(1, t.task_id).bind(2, t.kind).bind(3, t.pool).bind(4, t.service);
        row.bind(5, to_string(t.state)).bind(6, int64_t{t.attempts});
        row.bind(7, to_epoch_ms(t.accepted)).bind(8, to_epoch_ms(t.settled));
        row.bind(9, t.duration_ms()).bind(10, t.agent);
        row.run();
      }
    }
    if (!recoveries.empty()) {
      statement row{*this, "INSERT INTO recovery_history(subject_type, subject, went_down_ms, "
                           "recovered_ms) VALUES(?1, ?2, ?3, ?4)"};
      for (auto& r : recoveries) {
        row.bind(1, to_string(r.subject_type)).bind(2, r.subject);
        row.bind(3, r.went_down_ms).bind(4, r.recovered_ms);
        row.run();
      }
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  ++commits_;
}

int64_t history_store::purge_before(int64_t cutoff_ms) {
  exec("BEGIN IMMEDIATE");
  int64_t deleted = 0;
  try {
    statement tasks{*this, "DELETE FROM task_history WHERE settled_ms < ?1"};
    tasks.bind(1, cutoff_ms).run();
    deleted += sqlite3_changes(db_);
    statement recoveries{*this, "DELETE FROM recovery_history WHERE recovered_ms < ?1"};
    recoveries.bind(1, cutoff_ms).run();
    deleted += sqlite3_changes(db_);
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return deleted;
}

// -- reading ----------------------------------------------------------------------------------

std::vector<settled_task> history_store::tasks_since(int64_t since_ms) const {
  statement rows{*this,
                 "SELECT task_id, kind, pool, service, state, attempts, accepted_ms, "
                 "settled_ms, agent FROM task_history WHERE settled_ms >= ?1 ORDER BY rowid"};
  rows.bind(1, since_ms);
  std::vector<settled_task> result;
  while (rows.step()) {
    settled_task t;
    t.task_id = rows.text(0);
    t.kind = rows.text(1);
    t.pool = rows.text(2);
    t.service = rows.text(3);
    t.state = state_named(rows.text(4));
    t.attempts = static_cast<int32_t>(rows.integer(5));
    t.accepted = from_epoch_ms(rows.integer(6));
    t.settled = from_epoch_ms(rows.integer(7));
    t.agent = rows.text(8);
    result.push_back(std::move(t));
  }
  return result;
}

std::vector<recovery_interval> history_store::recoveries_since(int64_t since_ms) const {
  statement rows{*this, "SELECT subject_type, subject, went_down_ms, recovered_ms FROM "
                        "recovery_history WHERE recovered_ms >= ?1 ORDER BY rowid"};
  rows.bind(1, since_ms);
  std::vector<recovery_interval> result;
  while (rows.step()) {
    recovery_interval r;
    r.subject_type = parse_recovery_subject(rows.text(0)).value_or(recovery_subject::agent);
    r.subject = rows.text(1);
    r.went_down_ms = rows.integer(2);
    r.recovered_ms = rows.integer(3);
    result.push_back(std::move(r));
  }
  return result;
}

} // namespace herd
