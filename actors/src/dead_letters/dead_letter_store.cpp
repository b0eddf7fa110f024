#include "herd/dead_letters/dead_letter_store.hpp"

#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

/// "herd" in ASCII: marks a database as herd's (`PRAGMA application_id`).
constexpr int32_t herd_application_id = 0x68657264;

/// The schema, one script per version; script i takes a file from version i to i + 1.
const char* const migrations[] = {
    // Version 1: dead letters, one column per field; the history (a list) is JSON.
    "CREATE TABLE dead_letters("
    "  task_id TEXT PRIMARY KEY NOT NULL,"
    "  kind TEXT NOT NULL, pool TEXT NOT NULL, service TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL, payload TEXT NOT NULL, attempt INTEGER NOT NULL,"
    "  replays INTEGER NOT NULL, created_ms INTEGER NOT NULL, deadline_ms INTEGER NOT NULL,"
    "  history_json TEXT NOT NULL, agent TEXT NOT NULL, reason TEXT NOT NULL,"
    "  status TEXT NOT NULL, note TEXT NOT NULL, first_failure_ms INTEGER NOT NULL,"
    "  last_failure_ms INTEGER NOT NULL, dead_lettered_ms INTEGER NOT NULL,"
    "  updated_ms INTEGER NOT NULL, error_text TEXT NOT NULL);"
    // Writes are the hot path: one index besides the key, for the depth and the counts; a
    // listing in time order sorts.
    "CREATE INDEX dead_letters_by_status ON dead_letters(status, reason);"
    "PRAGMA application_id = 1751478884;",
    // Version 2: replay requests (from `herd dlq replay`) and escalations.
    "CREATE TABLE replay_requests("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, filter_json TEXT NOT NULL, rate REAL NOT NULL,"
    "  state TEXT NOT NULL, total INTEGER NOT NULL, sent INTEGER NOT NULL,"
    "  requested_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
    "CREATE TABLE escalations("
    "  task_id TEXT PRIMARY KEY NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL,"
    "  note TEXT NOT NULL, escalated_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
    "  task_json TEXT NOT NULL);",
};

static_assert(std::size(migrations) == size_t{dead_letter_store::latest_schema_version});

/// The columns of a dead letter, in the order of the insert's parameters ?1 to ?20.
constexpr const char* letter_columns =
    "task_id, kind, pool, service, idempotency_key, payload, attempt, replays, created_ms, "
    "deadline_ms, history_json, agent, reason, status, note, first_failure_ms, last_failure_ms, "
    "dead_lettered_ms, updated_ms, error_text";

constexpr const char* request_columns = "id, filter_json, rate, state, total, sent, "
                                        "requested_ms, updated_ms";

constexpr const char* escalation_columns = "task_id, reason, status, note, escalated_ms, "
                                           "updated_ms, task_json";

/// The JSON form of a history, the same as `nlohmann::json(history).dump()` gives (see
/// `to_json` of attempt_record and failure), written without building a JSON tree: this runs for
/// every stored letter and took a third of a letter's write time the other way.
std::string history_json(const std::vector<attempt_record>& history) {
  std::string out = "[";
  auto quoted = [&out](const std::string& text) { out += nlohmann::json(text).dump(); };
  for (auto& a : history) {
    if (out.size() > 1)
      out += ',';
    out += "{\"number\":" + std::to_string(a.number);
    out += ",\"time_ms\":" + std::to_string(to_epoch_ms(a.time));
    out += ",\"agent\":";
    quoted(a.agent);
    out += ",\"error\":{\"category\":";
    quoted(to_string(a.error.category));
    out += ",\"message\":";
    quoted(a.error.message);
    out += ",\"service\":";
    quoted(a.error.service);
    out += ",\"status_code\":" + std::to_string(a.error.status_code);
    out += ",\"retry_after_ms\":" + std::to_string(to_ms(a.error.retry_after)) + "}}";
  }
  return out + "]";
}

} // namespace

// -- statement: a prepared SQLite statement ---------------------------------------------------

class dead_letter_store::statement {
public:
  statement(const dead_letter_store& store, const std::string& sql) : store_(store) {
    if (sqlite3_prepare_v2(store.db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      store.fail(sqlite3_errmsg(store.db_));
  }
  ~statement() { sqlite3_finalize(stmt_); }

  statement& bind(int i, const std::string& x) {
    sqlite3_bind_text(stmt_, i, x.data(), static_cast<int>(x.size()), SQLITE_TRANSIENT);
    return *this;
  }
  /// Binds text that stays alive and unchanged until the statement has run (no copy).
  statement& bind_static(int i, const std::string& x) {
    sqlite3_bind_text(stmt_, i, x.data(), static_cast<int>(x.size()), SQLITE_STATIC);
    return *this;
  }
  statement& bind(int i, int64_t x) {
    sqlite3_bind_int64(stmt_, i, x);
    return *this;
  }
  statement& bind(int i, double x) {
    sqlite3_bind_double(stmt_, i, x);
    return *this;
  }

  /// Steps once; true if a row is ready.
  bool step() {
    auto rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
      return true;
    if (rc != SQLITE_DONE)
      store_.fail(sqlite3_errmsg(store_.db_));
    return false;
  }
  /// Steps to the end and resets for the next use.
  void run() {
    while (step()) {
    }
    reset();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::string text(int i) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string{p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))} : std::string{};
  }
  int64_t integer(int i) { return sqlite3_column_int64(stmt_, i); }
  double real(int i) { return sqlite3_column_double(stmt_, i); }

private:
  const dead_letter_store& store_;
  sqlite3_stmt* stmt_ = nullptr;
};

// -- opening and migrating --------------------------------------------------------------------

dead_letter_store::dead_letter_store(const std::string& file, open_mode mode, int schema_version,
                                     const std::string& synchronous)
    : file_(file) {
  try {
    open_checked(mode, schema_version, synchronous);
  } catch (...) {
    insert_.reset();
    sqlite3_close_v2(db_);
    throw;
  }
}

dead_letter_store::~dead_letter_store() {
  insert_.reset();
  sqlite3_close_v2(db_);
}

int64_t dead_letter_store::wall_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void dead_letter_store::open_checked(open_mode mode, int schema_version,
                                     const std::string& synchronous) {
  if (synchronous != "full" && synchronous != "normal")
    fail("synchronous must be \"full\" or \"normal\", not \"" + synchronous + "\"");
  std::error_code ec;
  bool exists = std::filesystem::exists(file_, ec);
  if (!exists && mode == open_mode::existing)
    fail("no such database file");
  if (exists && std::filesystem::is_directory(file_, ec))
    fail("is a directory, not a database file");
  // One owner per object (see the class doc), so SQLite's own connection mutex is not needed.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
              (mode == open_mode::create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(file_.c_str(), &db_, flags, nullptr) != SQLITE_OK)
    fail(std::string{"cannot open: "} + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
  sqlite3_extended_result_codes(db_, 1);
  // A second process (the `herd dlq` command, the service) may hold the write lock briefly.
  sqlite3_busy_timeout(db_, 5000);
  int64_t app_id = 0;
  int64_t tables = 0;
  try {
    statement probe{*this, "PRAGMA application_id"};
    if (probe.step())
      app_id = probe.integer(0);
    statement count{*this, "SELECT COUNT(*) FROM sqlite_master"};
    if (count.step())
      tables = count.integer(0);
  } catch (const store_error& e) {
    fail("not a herd database (" + e.problem() + "); nothing was changed");
  }
  int version = this->schema_version();
  bool fresh = app_id == 0 && tables == 0;
  if (fresh && mode == open_mode::existing)
    fail("empty file, not a herd database; nothing was changed");
  if (!fresh && app_id != herd_application_id)
    fail("not a herd database (application_id " + std::to_string(app_id) + ", " +
         std::to_string(tables) + " schema objects); nothing was changed");
  if (version > latest_schema_version)
    fail("schema version " + std::to_string(version) + " is newer than this herd supports (up to " +
         std::to_string(latest_schema_version) + "); upgrade herd; nothing was changed");
  {
    statement wal{*this, "PRAGMA journal_mode=WAL"};
    if (!wal.step() || wal.text(0) != "wal")
      fail("cannot switch to WAL mode");
  }
  exec("PRAGMA synchronous=" + std::string{synchronous == "full" ? "FULL" : "NORMAL"});
  if (version < schema_version)
    migrate(version, std::min(schema_version, latest_schema_version));
}

void dead_letter_store::migrate(int from, int to) {
  for (int version = from; version < to; ++version) {
    exec("BEGIN IMMEDIATE");
    try {
      exec(migrations[version]);
      exec("PRAGMA user_version = " + std::to_string(version + 1));
      exec("COMMIT");
    } catch (const store_error& e) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      fail("migration to schema version " + std::to_string(version + 1) +
           " failed: " + e.problem());
    }
  }
}

void dead_letter_store::exec(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string problem = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    fail(problem);
  }
}

void dead_letter_store::fail(const std::string& problem) const {
  throw store_error(file_, problem);
}

int dead_letter_store::schema_version() const {
  statement version{*this, "PRAGMA user_version"};
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

std::string dead_letter_store::integrity_check() const {
  statement check{*this, "PRAGMA integrity_check"};
  std::string result;
  while (check.step())
    result += (result.empty() ? "" : "\n") + check.text(0);
  return result;
}

// -- dead letters -----------------------------------------------------------------------------

void dead_letter_store::add(const std::vector<dead_letter>& batch) {
  if (batch.empty())
    return;
  if (!insert_)
    insert_ = std::make_unique<statement>(
        *this,
        std::string{"INSERT INTO dead_letters("} + letter_columns +
            ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
            "?18, ?19, ?20) ON CONFLICT(task_id) DO UPDATE SET kind = excluded.kind, "
            "pool = excluded.pool, service = excluded.service, "
            "idempotency_key = excluded.idempotency_key, payload = excluded.payload, "
            "attempt = excluded.attempt, replays = excluded.replays, "
            "created_ms = excluded.created_ms, deadline_ms = excluded.deadline_ms, "
            "history_json = excluded.history_json, agent = excluded.agent, "
            "reason = excluded.reason, status = excluded.status, "
            "note = CASE excluded.note WHEN '' THEN note ELSE excluded.note END, "
            "first_failure_ms = excluded.first_failure_ms, "
            "last_failure_ms = excluded.last_failure_ms, updated_ms = excluded.updated_ms, "
            "error_text = excluded.error_text");
  exec("BEGIN IMMEDIATE");
  try {
    for (auto& x : batch) {
      auto& t = x.work;
      auto history = history_json(t.history);
      auto reason = to_string(x.reason);
      auto status = to_string(x.status);
      auto error_text = x.error_text();
      insert_->bind_static(1, t.id).bind_static(2, t.kind).bind_static(3, t.pool);
      insert_->bind_static(4, t.service).bind_static(5, t.idempotency_key);
      insert_->bind_static(6, t.payload).bind(7, int64_t{t.attempt});
      insert_->bind(8, int64_t{t.replays}).bind(9, to_epoch_ms(t.created));
      insert_->bind(10, to_epoch_ms(t.deadline)).bind_static(11, history);
      insert_->bind_static(12, x.agent).bind_static(13, reason).bind_static(14, status);
      insert_->bind_static(15, x.note).bind(16, x.first_failure_ms);
      insert_->bind(17, x.last_failure_ms).bind(18, x.dead_lettered_ms);
      insert_->bind(19, x.updated_ms).bind_static(20, error_text);
      insert_->run();
    }
    exec("COMMIT");
    ++commits_;
  } catch (...) {
    insert_->reset();
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::string dead_letter_store::where_clause(const dead_letter_filter& filter,
                                            std::vector<std::string>& args) const {
  std::string sql;
  auto add = [&](const std::string& condition) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += condition;
  };
  if (!filter.ids.empty()) {
    std::string list;
    for (auto& id : filter.ids) {
      list += list.empty() ? "?" : ", ?";
      args.push_back(id);
    }
    add("task_id IN (" + list + ")");
  }
  for (auto [column, value] :
       {std::pair{"kind", &filter.kind}, std::pair{"reason", &filter.reason},
        std::pair{"service", &filter.service}, std::pair{"status", &filter.status}})
    if (!value->empty()) {
      args.push_back(*value);
      add(std::string{column} + " = ?");
    }
  if (filter.since_ms > 0)
    add("dead_lettered_ms >= " + std::to_string(filter.since_ms));
  if (filter.until_ms > 0)
    add("dead_lettered_ms < " + std::to_string(filter.until_ms));
  if (!filter.text.empty()) {
    args.push_back(filter.text);
    add("instr(lower(error_text), lower(?)) > 0");
  }
  return sql;
}

dead_letter dead_letter_store::read_letter(statement& row) const {
  dead_letter result;
  auto& t = result.work;
  t.id = row.text(0);
  try {
    t.kind = row.text(1);
    t.pool = row.text(2);
    t.service = row.text(3);
    t.idempotency_key = row.text(4);
    t.payload = row.text(5);
    if (!nlohmann::json::accept(t.payload))
      throw std::runtime_error("its payload is not JSON");
    t.attempt = static_cast<int32_t>(row.integer(6));
    t.replays = static_cast<int32_t>(row.integer(7));
    t.created = from_epoch_ms(row.integer(8));
    t.deadline = from_epoch_ms(row.integer(9));
    t.history = nlohmann::json::parse(row.text(10)).get<std::vector<attempt_record>>();
    result.agent = row.text(11);
    auto reason = parse_dead_letter_reason(row.text(12));
    if (!reason)
      throw std::runtime_error("unknown reason \"" + row.text(12) + "\"");
    auto status = parse_dead_letter_status(row.text(13));
    if (!status)
      throw std::runtime_error("unknown status \"" + row.text(13) + "\"");
    result.reason = *reason;
    result.status = *status;
    result.note = row.text(14);
    result.first_failure_ms = row.integer(15);
    result.last_failure_ms = row.integer(16);
    result.dead_lettered_ms = row.integer(17);
    result.updated_ms = row.integer(18);
  } catch (const std::exception& e) {
    fail("the dead letter of task \"" + t.id + "\" is corrupt: " + e.what());
  }
  return result;
}

std::optional<dead_letter> dead_letter_store::get(const std::string& id) const {
  statement select{*this, std::string{"SELECT "} + letter_columns +
                              " FROM dead_letters WHERE task_id = ?"};
  select.bind(1, id);
  if (!select.step())
    return std::nullopt;
  return read_letter(select);
}

std::vector<dead_letter> dead_letter_store::query(const dead_letter_filter& filter) const {
  std::vector<std::string> args;
  auto sql = std::string{"SELECT "} + letter_columns + " FROM dead_letters" +
             where_clause(filter, args) + " ORDER BY dead_lettered_ms, rowid";
  if (filter.limit > 0)
    sql += " LIMIT " + std::to_string(filter.limit);
  statement select{*this, sql};
  for (size_t i = 0; i < args.size(); ++i)
    select.bind(static_cast<int>(i + 1), args[i]);
  std::vector<dead_letter> result;
  while (select.step())
    result.push_back(read_letter(select));
  return result;
}

int64_t dead_letter_store::count(const dead_letter_filter& filter) const {
  std::vector<std::string> args;
  statement select{*this, "SELECT COUNT(*) FROM dead_letters" + where_clause(filter, args)};
  for (size_t i = 0; i < args.size(); ++i)
    select.bind(static_cast<int>(i + 1), args[i]);
  return select.step() ? select.integer(0) : 0;
}

dead_letter_stats dead_letter_store::stats() const {
  dead_letter_stats result;
  for (auto status :
       {dead_letter_status::pending, dead_letter_status::replaying, dead_letter_status::replayed,
        dead_letter_status::resolved, dead_letter_status::poison})
    result.by_status[to_string(status)] = 0;
  statement select{*this, "SELECT status, reason, COUNT(*) FROM dead_letters "
                          "GROUP BY status, reason"};
  while (select.step()) {
    auto status = select.text(0);
    auto n = select.integer(2);
    result.total += n;
    result.by_status[status] += n;
    if (status == "pending" || status == "replaying" || status == "poison") {
      result.depth += n;
      result.by_reason[select.text(1)] += n;
    }
  }
  return result;
}

int64_t dead_letter_store::depth() const {
  statement select{*this, "SELECT COUNT(*) FROM dead_letters "
                          "WHERE status IN ('pending', 'replaying', 'poison')"};
  return select.step() ? select.integer(0) : 0;
}

int64_t dead_letter_store::set_status(const std::vector<std::string>& ids,
                                      dead_letter_status status, int64_t now_ms) {
  if (ids.empty())
    return 0;
  statement update{*this, "UPDATE dead_letters SET status = ?, updated_ms = ? WHERE task_id = ?"};
  int64_t result = 0;
  exec("BEGIN IMMEDIATE");
  try {
    for (auto& id : ids) {
      update.bind(1, to_string(status)).bind(2, now_ms).bind(3, id);
      update.run();
      result += sqlite3_changes(db_);
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return result;
}

bool dead_letter_store::resolve(const std::string& id, const std::string& note, int64_t now_ms) {
  statement update{*this, "UPDATE dead_letters SET status = 'resolved', note = ?, updated_ms = ? "
                          "WHERE task_id = ?"};
  update.bind(1, note).bind(2, now_ms).bind(3, id);
  update.run();
  return sqlite3_changes(db_) > 0;
}

int64_t dead_letter_store::purge(const dead_letter_filter& filter) {
  std::vector<std::string> args;
  auto where = where_clause(filter, args);
  std::string sql = "DELETE FROM dead_letters" + where;
  if (filter.limit > 0)
    sql = "DELETE FROM dead_letters WHERE rowid IN (SELECT rowid FROM dead_letters" + where +
          " ORDER BY dead_lettered_ms, rowid LIMIT " + std::to_string(filter.limit) + ")";
  statement remove{*this, sql};
  for (size_t i = 0; i < args.size(); ++i)
    remove.bind(static_cast<int>(i + 1), args[i]);
  remove.run();
  return sqlite3_changes(db_);
}

// -- replay requests --------------------------------------------------------------------------

replay_request dead_letter_store::read_request(statement& row) const {
  replay_request result;
  result.id = row.integer(0);
  try {
    result.filter = dead_letter_filter::from_json(json_reader{nlohmann::json::parse(row.text(1))});
  } catch (const std::exception& e) {
    fail("replay request " + std::to_string(result.id) + " is corrupt: " + e.what());
  }
  result.rate = row.real(2);
  result.state = row.text(3);
  result.total = row.integer(4);
  result.sent = row.integer(5);
  result.requested_ms = row.integer(6);
  result.updated_ms = row.integer(7);
  return result;
}

replay_request dead_letter_store::add_replay_request(const dead_letter_filter& filter, double rate,
                                                     const std::string& state, int64_t now_ms) {
  statement insert{*this, "INSERT INTO replay_requests(filter_json, rate, state, total, sent, "
                          "requested_ms, updated_ms) VALUES(?, ?, ?, 0, 0, ?, ?)"};
  insert.bind(1, filter.to_json().dump())
      .bind(2, rate)
      .bind(3, state)
      .bind(4, now_ms)
      .bind(5, now_ms);
  insert.run();
  replay_request result;
  result.id = sqlite3_last_insert_rowid(db_);
  result.filter = filter;
  result.rate = rate;
  result.state = state;
  result.requested_ms = now_ms;
  result.updated_ms = now_ms;
  return result;
}

void dead_letter_store::update_replay_request(const replay_request& request, int64_t now_ms) {
  statement update{*this, "UPDATE replay_requests SET state = ?, total = ?, sent = ?, "
                          "updated_ms = ? WHERE id = ?"};
  update.bind(1, request.state).bind(2, request.total).bind(3, request.sent).bind(4, now_ms);
  update.bind(5, request.id);
  update.run();
}

std::optional<replay_request> dead_letter_store::replay_request_of(int64_t id) const {
  statement select{*this,
                   std::string{"SELECT "} + request_columns + " FROM replay_requests WHERE id = ?"};
  select.bind(1, id);
  if (!select.step())
    return std::nullopt;
  return read_request(select);
}

std::vector<replay_request> dead_letter_store::replay_requests(const std::string& state) const {
  statement select{*this, std::string{"SELECT "} + request_columns + " FROM replay_requests" +
                              (state.empty() ? "" : " WHERE state = ?") + " ORDER BY id DESC"};
  if (!state.empty())
    select.bind(1, state);
  std::vector<replay_request> result;
  while (select.step())
    result.push_back(read_request(select));
  return result;
}

// -- escalations ------------------------------------------------------------------------------

escalation dead_letter_store::read_escalation(statement& row) const {
  auto id = row.text(0);
  escalation result;
  try {
    result.reason = row.text(1);
    auto status = parse_escalation_status(row.text(2));
    if (!status)
      throw std::runtime_error("unknown status \"" + row.text(2) + "\"");
    result.status = *status;
    result.note = row.text(3);
    result.escalated_ms = row.integer(4);
    result.updated_ms = row.integer(5);
    result.work = nlohmann::json::parse(row.text(6)).get<task>();
  } catch (const std::exception& e) {
    fail("the escalation of task \"" + id + "\" is corrupt: " + e.what());
  }
  return result;
}

void dead_letter_store::put_escalation(const escalation& x) {
  statement insert{*this, "INSERT INTO escalations(task_id, reason, status, note, escalated_ms, "
                          "updated_ms, task_json) VALUES(?, ?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT(task_id) DO UPDATE SET reason = excluded.reason, "
                          "status = excluded.status, note = excluded.note, "
                          "escalated_ms = excluded.escalated_ms, "
                          "updated_ms = excluded.updated_ms, task_json = excluded.task_json"};
  nlohmann::json task_json = x.work;
  insert.bind(1, x.work.id).bind(2, x.reason).bind(3, to_string(x.status)).bind(4, x.note);
  insert.bind(5, x.escalated_ms).bind(6, x.updated_ms).bind(7, task_json.dump());
  insert.run();
}

std::optional<escalation> dead_letter_store::get_escalation(const std::string& id) const {
  statement select{*this, std::string{"SELECT "} + escalation_columns +
                              " FROM escalations WHERE task_id = ?"};
  select.bind(1, id);
  if (!select.step())
    return std::nullopt;
  return read_escalation(select);
}

std::vector<escalation>
dead_letter_store::escalations(std::optional<escalation_status> status) const {
  statement select{*this, std::string{"SELECT "} + escalation_columns + " FROM escalations" +
                              (status ? " WHERE status = ?" : "") +
                              " ORDER BY escalated_ms, rowid"};
  if (status)
    select.bind(1, to_string(*status));
  std::vector<escalation> result;
  while (select.step())
    result.push_back(read_escalation(select));
  return result;
}

} // namespace herd
