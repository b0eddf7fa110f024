#include "herd/workflow/workflow_store.hpp"

#include <iterator>

#include "herd/storage/sqlite_statement.hpp"

namespace herd {

namespace {

/// The workflow tables, one script per version; script i takes them from version i to i + 1.
const char* const migrations[] = {
    // Version 1: runs, their steps (one row each, results as JSON text) and operators' commands.
    "CREATE TABLE workflow_schema(version INTEGER NOT NULL);"
    "INSERT INTO workflow_schema(version) VALUES (0);"
    "CREATE TABLE workflow_runs("
    "  run_id TEXT PRIMARY KEY NOT NULL, workflow TEXT NOT NULL, input_json TEXT NOT NULL,"
    "  status TEXT NOT NULL, failed_step TEXT NOT NULL, error TEXT NOT NULL,"
    "  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, ended_ms INTEGER NOT NULL,"
    "  executions INTEGER NOT NULL, stored_bytes INTEGER NOT NULL,"
    "  warned_steps INTEGER NOT NULL, warned_bytes INTEGER NOT NULL);"
    "CREATE INDEX workflow_runs_by_status ON workflow_runs(status, created_ms);"
    "CREATE TABLE workflow_steps("
    "  run_id TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL,"
    "  state TEXT NOT NULL, attempts INTEGER NOT NULL, runs INTEGER NOT NULL,"
    "  result_json TEXT NOT NULL, error TEXT NOT NULL, started_ms INTEGER NOT NULL,"
    "  ended_ms INTEGER NOT NULL, PRIMARY KEY(run_id, name));"
    "CREATE TABLE workflow_commands("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, command TEXT NOT NULL,"
    "  value_json TEXT NOT NULL, note TEXT NOT NULL, requested_ms INTEGER NOT NULL,"
    "  done_ms INTEGER NOT NULL DEFAULT 0, result TEXT NOT NULL DEFAULT '');",
};

static_assert(std::size(migrations) == size_t{workflow_store::latest_schema_version});

constexpr const char* run_columns =
    "run_id, workflow, input_json, status, failed_step, error, created_ms, updated_ms, ended_ms, "
    "executions, stored_bytes, warned_steps, warned_bytes";

constexpr const char* command_columns =
    "id, run_id, command, value_json, note, requested_ms, done_ms, result";

} // namespace

workflow_store::workflow_store(const std::string& file, open_mode mode,
                               const std::string& synchronous)
    : db_(file) {
  if (synchronous != "full" && synchronous != "normal")
    db_.fail("synchronous must be \"full\" or \"normal\", not \"" + synchronous + "\"");
  bool read_only = mode == open_mode::read_only;
  auto found = db_.open(read_only, mode == open_mode::create);
  int version = schema_version();
  if (version > latest_schema_version)
    db_.fail("workflow schema version " + std::to_string(version) +
             " is newer than this herd supports (up to " + std::to_string(latest_schema_version) +
             "); upgrade herd; nothing was changed");
  if (read_only) {
    if (version == 0)
      db_.fail("no workflows in this database (no workflow tables); nothing was changed");
    if (version < latest_schema_version)
      db_.fail("workflow schema version " + std::to_string(version) +
               " needs a migration, which a read-only command does not do: start the service");
    return;
  }
  db_.use_wal(synchronous == "full" ? "FULL" : "NORMAL", found.fresh);
  if (version < latest_schema_version)
    migrate(version);
}

workflow_store::~workflow_store() = default;

int workflow_store::schema_version() const {
  sqlite_statement exists{db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'workflow_schema'"};
  if (!exists.step() || exists.integer(0) == 0)
    return 0;
  sqlite_statement version{db_, "SELECT version FROM workflow_schema"};
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

std::string workflow_store::integrity_check() const {
  return db_.integrity_check();
}

void workflow_store::migrate(int from) {
  db_.migrate(
      migrations, from, latest_schema_version, "the workflow tables",
      [this] { return schema_version(); },
      [this](int version) {
        db_.exec("UPDATE workflow_schema SET version = " + std::to_string(version));
      });
}

// -- runs -------------------------------------------------------------------------------------

void workflow_store::save(const workflow_record& run) {
  db_.exec("BEGIN IMMEDIATE");
  try {
    sqlite_statement row{db_, std::string{"INSERT OR REPLACE INTO workflow_runs("} + run_columns +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                  "?13)"};
    row.bind(1, run.id)
        .bind(2, run.workflow)
        .bind(3, run.input)
        .bind(4, to_string(run.status))
        .bind(5, run.failed_step)
        .bind(6, run.error)
        .bind(7, run.created_ms)
        .bind(8, run.updated_ms)
        .bind(9, run.ended_ms)
        .bind(10, int64_t{run.executions})
        .bind(11, run.stored_bytes)
        .bind(12, int64_t{run.warned_steps})
        .bind(13, int64_t{run.warned_bytes});
    row.run();
    sqlite_statement clear{db_, "DELETE FROM workflow_steps WHERE run_id = ?1"};
    clear.bind(1, run.id).run();
    sqlite_statement step{db_, "INSERT INTO workflow_steps(run_id, position, name, state, "
                               "attempts, runs, result_json, error, started_ms, ended_ms) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"};
    int64_t position = 0;
    for (auto& s : run.steps) {
      step.bind(1, run.id)
          .bind(2, position++)
          .bind(3, s.name)
          .bind(4, to_string(s.state))
          .bind(5, int64_t{s.attempts})
          .bind(6, int64_t{s.runs})
          .bind(7, s.result)
          .bind(8, s.error)
          .bind(9, s.started_ms)
          .bind(10, s.ended_ms);
      step.run();
    }
    db_.exec("COMMIT");
  } catch (...) {
    db_.rollback();
    throw;
  }
}

std::vector<workflow_record> workflow_store::select(const std::string& where,
                                                    const std::string& order,
                                                    const std::string& bind, int64_t limit) const {
  auto sql = std::string{"SELECT "} + run_columns + " FROM workflow_runs" +
             (where.empty() ? "" : " WHERE " + where) + " ORDER BY " + order +
             (limit > 0 ? " LIMIT " + std::to_string(limit) : "");
  sqlite_statement row{db_, sql};
  if (!bind.empty())
    row.bind(1, bind);
  std::vector<workflow_record> result;
  while (row.step()) {
    workflow_record x;
    x.id = row.text(0);
    x.workflow = row.text(1);
    x.input = row.text(2);
    auto status = parse_workflow_status(row.text(3));
    if (!status)
      db_.fail("run \"" + x.id + "\" has an unknown status \"" + row.text(3) + "\"");
    x.status = *status;
    x.failed_step = row.text(4);
    x.error = row.text(5);
    x.created_ms = row.integer(6);
    x.updated_ms = row.integer(7);
    x.ended_ms = row.integer(8);
    x.executions = static_cast<int32_t>(row.integer(9));
    x.stored_bytes = row.integer(10);
    x.warned_steps = row.integer(11) != 0;
    x.warned_bytes = row.integer(12) != 0;
    result.push_back(std::move(x));
  }
  for (auto& x : result)
    read_steps(x);
  return result;
}

void workflow_store::read_steps(workflow_record& run) const {
  sqlite_statement row{db_, "SELECT name, state, attempts, runs, result_json, error, started_ms, "
                            "ended_ms FROM workflow_steps WHERE run_id = ?1 ORDER BY position"};
  row.bind(1, run.id);
  while (row.step()) {
    step_record s;
    s.name = row.text(0);
    auto state = parse_step_state(row.text(1));
    if (!state)
      db_.fail("run \"" + run.id + "\": step \"" + s.name + "\" has an unknown state \"" +
               row.text(1) + "\"");
    s.state = *state;
    s.attempts = static_cast<int32_t>(row.integer(2));
    s.runs = static_cast<int32_t>(row.integer(3));
    s.result = row.text(4);
    s.error = row.text(5);
    s.started_ms = row.integer(6);
    s.ended_ms = row.integer(7);
    run.steps.push_back(std::move(s));
  }
}

std::optional<workflow_record> workflow_store::load(const std::string& id) const {
  auto found = select("run_id = ?1", "created_ms", id, 1);
  if (found.empty())
    return std::nullopt;
  return std::move(found.front());
}

std::vector<workflow_record> workflow_store::list(std::optional<workflow_status> status,
                                                  int64_t limit) const {
  if (status)
    return select("status = ?1", "created_ms DESC, run_id DESC", to_string(*status), limit);
  return select("", "created_ms DESC, run_id DESC", "", limit);
}

std::vector<workflow_record> workflow_store::unfinished() const {
  return select("status IN ('running', 'waiting')", "created_ms, run_id", "", 0);
}

// -- commands ---------------------------------------------------------------------------------

workflow_command workflow_store::add_command(const std::string& run_id, const std::string& command,
                                             const std::string& value, const std::string& note,
                                             int64_t now_ms) {
  sqlite_statement row{db_, "INSERT INTO workflow_commands(run_id, command, value_json, note, "
                            "requested_ms) VALUES (?1, ?2, ?3, ?4, ?5)"};
  row.bind(1, run_id).bind(2, command).bind(3, value).bind(4, note).bind(5, now_ms);
  row.run();
  workflow_command result;
  result.id = db_.last_insert_rowid();
  result.run_id = run_id;
  result.command = command;
  result.value = value;
  result.note = note;
  result.requested_ms = now_ms;
  return result;
}

std::vector<workflow_command> workflow_store::pending_commands() const {
  sqlite_statement row{db_, std::string{"SELECT "} + command_columns +
                                " FROM workflow_commands WHERE done_ms = 0 ORDER BY id"};
  std::vector<workflow_command> result;
  while (row.step()) {
    workflow_command x;
    x.id = row.integer(0);
    x.run_id = row.text(1);
    x.command = row.text(2);
    x.value = row.text(3);
    x.note = row.text(4);
    x.requested_ms = row.integer(5);
    x.done_ms = row.integer(6);
    x.result = row.text(7);
    result.push_back(std::move(x));
  }
  return result;
}

void workflow_store::finish_command(int64_t id, const std::string& result, int64_t now_ms) {
  sqlite_statement row{db_, "UPDATE workflow_commands SET done_ms = ?1, result = ?2 WHERE id = ?3"};
  row.bind(1, now_ms).bind(2, result).bind(3, id);
  row.run();
}

} // namespace herd
