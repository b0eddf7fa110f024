#include "herd/history/history_store.hpp"

#include <algorithm>
#include <iterator>

#include "herd/dead_letters/store_error.hpp"
#include "herd/storage/sqlite_statement.hpp"

namespace herd {

namespace {

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

outcome_status state_named(const std::string& name) {
  for (auto x : {outcome_status::completed, outcome_status::failed, outcome_status::dead_lettered,
                 outcome_status::escalated, outcome_status::handed_back})
    if (to_string(x) == name)
      return x;
  return outcome_status::failed;
}

} // namespace

// -- opening ----------------------------------------------------------------------------------

history_store::history_store(const std::string& file, open_mode mode) : file_(file), db_(file) {
  open_checked(mode);
}

history_store::~history_store() = default;

void history_store::open_checked(open_mode mode) {
  bool read_only = mode == open_mode::read_only;
  auto found = db_.open(read_only, !read_only);
  if (found.fresh && read_only)
    db_.fail("empty file, not a herd database; nothing was changed");
  int version = schema_version();
  if (version > latest_schema_version)
    db_.fail("its task history has schema version " + std::to_string(version) +
             ", newer than this herd supports (up to " + std::to_string(latest_schema_version) +
             "); upgrade herd; nothing was changed");
  if (read_only) {
    if (version == 0)
      db_.fail("no task history in this database (was the runtime's \"history\" turned off, or "
               "has no runtime with history used it yet?)");
    return;
  }
  db_.use_wal("FULL", found.fresh);
  if (version < latest_schema_version)
    migrate(version);
}

void history_store::migrate(int from) {
  db_.exec("BEGIN IMMEDIATE");
  try {
    db_.exec("CREATE TABLE IF NOT EXISTS herd_schema(component TEXT PRIMARY KEY NOT NULL, version "
             "INTEGER NOT NULL)");
    // Another process may have migrated while this one waited for the lock.
    int version = std::max(from, schema_version());
    for (; version < latest_schema_version; ++version)
      db_.exec(migrations[version]);
    sqlite_statement mark{db_,
                          "INSERT OR REPLACE INTO herd_schema(component, version) VALUES(?1, ?2)"};
    mark.bind(1, std::string{component}).bind(2, int64_t{version});
    mark.run();
    db_.exec("COMMIT");
  } catch (const store_error& e) {
    db_.rollback();
    db_.fail("migration of the task history to schema version " +
             std::to_string(latest_schema_version) + " failed: " + e.problem());
  }
}

int history_store::schema_version() const {
  sqlite_statement table{db_, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
                              "'herd_schema'"};
  if (!table.step() || table.integer(0) == 0)
    return 0;
  sqlite_statement version{db_, "SELECT version FROM herd_schema WHERE component = ?1"};
  version.bind(1, std::string{component});
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

// -- writing ----------------------------------------------------------------------------------

void history_store::add(const std::vector<settled_task>& tasks,
                        const std::vector<recovery_interval>& recoveries) {
  if (tasks.empty() && recoveries.empty())
    return;
  db_.exec("BEGIN IMMEDIATE");
  try {
    if (!tasks.empty()) {
      sqlite_statement row{db_, "INSERT INTO task_history(task_id, kind, pool, service, state, "
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
      sqlite_statement row{db_, "INSERT INTO recovery_history(subject_type, subject, went_down_ms, "
                                "recovered_ms) VALUES(?1, ?2, ?3, ?4)"};
      for (auto& r : recoveries) {
        row.bind(1, to_string(r.subject_type)).bind(2, r.subject);
        row.bind(3, r.went_down_ms).bind(4, r.recovered_ms);
        row.run();
      }
    }
    db_.exec("COMMIT");
  } catch (...) {
    db_.rollback();
    throw;
  }
  ++commits_;
}

int64_t history_store::purge_before(int64_t cutoff_ms) {
  db_.exec("BEGIN IMMEDIATE");
  int64_t deleted = 0;
  try {
    sqlite_statement tasks{db_, "DELETE FROM task_history WHERE settled_ms < ?1"};
    tasks.bind(1, cutoff_ms).run();
    deleted += db_.changes();
    sqlite_statement recoveries{db_, "DELETE FROM recovery_history WHERE recovered_ms < ?1"};
    recoveries.bind(1, cutoff_ms).run();
    deleted += db_.changes();
    db_.exec("COMMIT");
  } catch (...) {
    db_.rollback();
    throw;
  }
  return deleted;
}

// -- reading ----------------------------------------------------------------------------------

std::vector<settled_task> history_store::tasks_since(int64_t since_ms) const {
  sqlite_statement rows{
      db_, "SELECT task_id, kind, pool, service, state, attempts, accepted_ms, "
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
  sqlite_statement rows{db_, "SELECT subject_type, subject, went_down_ms, recovered_ms FROM "
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
