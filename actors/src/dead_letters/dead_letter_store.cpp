#include "herd/dead_letters/dead_letter_store.hpp"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/epoch_range.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/core/wall_time.hpp"

namespace herd {

namespace {

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
    // Version 3: every dead-lettering of a task is kept (letterings_json), and every stored time
    // is wall-clock UTC. Times written before were on the actor clock (ms since the host's
    // boot): they move by the offset between the last failure and the dead-lettering (or the
    // escalation), which followed it within moments.
    "ALTER TABLE dead_letters ADD COLUMN letterings_json TEXT NOT NULL DEFAULT '[]';"
    "UPDATE dead_letters SET history_json = (SELECT json_group_array(json_set(value, "
    "  '$.time_ms', json_extract(value, '$.time_ms') + dead_letters.dead_lettered_ms - "
    "  dead_letters.last_failure_ms)) FROM json_each(dead_letters.history_json)),"
    "  created_ms = CASE created_ms WHEN 0 THEN 0 "
    "    ELSE created_ms + dead_lettered_ms - last_failure_ms END,"
    "  deadline_ms = CASE deadline_ms WHEN 0 THEN 0 "
    "    ELSE deadline_ms + dead_lettered_ms - last_failure_ms END,"
    "  first_failure_ms = first_failure_ms + dead_lettered_ms - last_failure_ms,"
    "  last_failure_ms = dead_lettered_ms "
    "WHERE last_failure_ms <> 0 AND json_valid(history_json);"
    "UPDATE dead_letters SET letterings_json = json_array(json_object('at_ms', dead_lettered_ms,"
    "  'reason', reason, 'replays', replays, 'last_attempt', attempt));"
    "UPDATE escalations SET task_json = (SELECT json_set(t.j,"
    "  '$.created_ms', CASE json_extract(t.j, '$.created_ms') WHEN 0 THEN 0"
    "    ELSE json_extract(t.j, '$.created_ms') + t.off END,"
    "  '$.deadline_ms', CASE json_extract(t.j, '$.deadline_ms') WHEN 0 THEN 0"
    "    ELSE json_extract(t.j, '$.deadline_ms') + t.off END,"
    "  '$.history', (SELECT json_group_array(json_set(value, '$.time_ms',"
    "    json_extract(value, '$.time_ms') + t.off)) FROM json_each(t.j, '$.history')))"
    "  FROM (SELECT escalations.task_json AS j, escalations.escalated_ms - coalesce("
    "    json_extract(escalations.task_json, '$.history[#-1].time_ms'),"
    "    json_extract(escalations.task_json, '$.created_ms'), escalations.escalated_ms) AS off)"
    "  AS t) WHERE json_valid(task_json);",
};

static_assert(std::size(migrations) == size_t{dead_letter_store::latest_schema_version});

/// The columns of a dead letter, in the order of the insert's parameters ?1 to ?21.
constexpr const char* letter_columns =
    "task_id, kind, pool, service, idempotency_key, payload, attempt, replays, created_ms, "
    "deadline_ms, history_json, agent, reason, status, note, first_failure_ms, last_failure_ms, "
    "dead_lettered_ms, updated_ms, error_text, letterings_json";

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
    if (!a.error.reason.empty()) {
      out += ",\"reason\":";
      quoted(a.error.reason);
    }
    out += ",\"service\":";
    quoted(a.error.service);
    out += ",\"status_code\":" + std::to_string(a.error.status_code);
    out += ",\"retry_after_ms\":" + std::to_string(to_ms(a.error.retry_after)) + "}}";
  }
  return out + "]";
}

/// The JSON form of a letter's dead-letterings, the same as `nlohmann::json(letterings).dump()`
/// gives, written without a JSON tree for the same reason as `history_json`.
std::string letterings_json(const std::vector<dead_lettering>& letterings) {
  std::string out = "[";
  for (auto& x : letterings) {
    if (out.size() > 1)
      out += ',';
    out += "{\"at_ms\":" + std::to_string(x.at_ms);
    out += ",\"last_attempt\":" + std::to_string(x.last_attempt);
    out += ",\"reason\":\"" + to_string(x.reason) + '"';
    out += ",\"replays\":" + std::to_string(x.replays) + '}';
  }
  return out + "]";
}

} // namespace

// -- opening and migrating --------------------------------------------------------------------

dead_letter_store::dead_letter_store(const std::string& file, open_mode mode, int schema_version,
                                     const std::string& synchronous)
    : file_(file), db_(file) {
  open_checked(mode, schema_version, synchronous);
}

dead_letter_store::~dead_letter_store() = default;

void dead_letter_store::open_checked(open_mode mode, int schema_version,
                                     const std::string& synchronous) {
  if (synchronous != "full" && synchronous != "normal")
    db_.fail("synchronous must be \"full\" or \"normal\", not \"" + synchronous + "\"");
  bool read_only = mode == open_mode::read_only;
  auto found = db_.open(read_only, mode == open_mode::create);
  int version = this->schema_version();
  if (found.fresh && mode != open_mode::create)
    db_.fail("empty file, not a herd database; nothing was changed");
  if (version > latest_schema_version)
    db_.fail("schema version " + std::to_string(version) +
             " is newer than this herd supports (up to " + std::to_string(latest_schema_version) +
             "); upgrade herd; nothing was changed");
  if (read_only) {
    if (version < std::min(schema_version, latest_schema_version))
      db_.fail("schema version " + std::to_string(version) + " needs a migration to version " +
               std::to_string(latest_schema_version) +
               ", which a read-only command does not do: run `herd dlq migrate --db " + file_ +
               "` or start the service; nothing was changed");
    return;
  }
  db_.use_wal(synchronous == "full" ? "FULL" : "NORMAL", found.fresh);
  if (version < schema_version)
    migrate(version, std::min(schema_version, latest_schema_version));
}

void dead_letter_store::migrate(int from, int to) {
  db_.migrate(migrations, from, to, "the schema");
}

int dead_letter_store::schema_version() const {
  return db_.user_version();
}

std::string dead_letter_store::integrity_check() const {
  return db_.integrity_check();
}

// -- dead letters -----------------------------------------------------------------------------

void dead_letter_store::write_letter(statement& row, const dead_letter& x) {
  auto& t = x.work;
  auto history = history_json(t.history);
  auto reason = to_string(x.reason);
  auto status = to_string(x.status);
  auto error_text = x.error_text();
  auto letterings = letterings_json(x.letterings);
  row.bind_static(1, t.id).bind_static(2, t.kind).bind_static(3, t.pool);
  row.bind_static(4, t.service).bind_static(5, t.idempotency_key);
  row.bind_static(6, t.payload).bind(7, int64_t{t.attempt});
  row.bind(8, int64_t{t.replays}).bind(9, to_epoch_ms(t.created));
  row.bind(10, to_epoch_ms(t.deadline)).bind_static(11, history);
  row.bind_static(12, x.agent).bind_static(13, reason).bind_static(14, status);
  row.bind_static(15, x.note).bind(16, x.first_failure_ms);
  row.bind(17, x.last_failure_ms).bind(18, x.dead_lettered_ms);
  row.bind(19, x.updated_ms).bind_static(20, error_text).bind_static(21, letterings);
  row.run();
}

std::optional<std::map<std::string, int64_t>>
dead_letter_store::add(const std::vector<dead_letter>& batch) {
  std::optional<std::map<std::string, int64_t>> depth_change{std::in_place};
  if (batch.empty())
    return depth_change;
  auto count = [&depth_change](const dead_letter& x, int64_t sign) {
    if (depth_change && counts_in_depth(x.status))
      (*depth_change)[to_string(x.reason)] += sign;
  };
  if (!insert_)
    insert_ = std::make_unique<statement>(
        db_, std::string{"INSERT INTO dead_letters("} + letter_columns +
                 ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                 "?16, ?17, ?18, ?19, ?20, ?21) ON CONFLICT(task_id) DO NOTHING");
  db_.exec("BEGIN IMMEDIATE");
  try {
    for (auto& x : batch) {
      write_letter(*insert_, x);
      if (db_.changes() > 0) {
        count(x, 1);
        continue;
      }
      // Dead-lettered before: one letter per task, whose history grows.
      dead_letter merged;
      try {
        auto stored = *get(x.work.id);
        count(stored, -1);
        merged = dead_letter::merge(std::move(stored), x);
      } catch (const store_error& e) {
        depth_change.reset();
        merged = x;
        merged.note =
            append_note(x.note, x.updated_ms,
                        "replaced a stored letter that could not be read: " + e.problem());
      }
      count(merged, 1);
      statement update{db_, "UPDATE dead_letters SET kind = ?2, pool = ?3, service = ?4, "
                            "idempotency_key = ?5, payload = ?6, attempt = ?7, replays = ?8, "
                            "created_ms = ?9, deadline_ms = ?10, history_json = ?11, "
                            "agent = ?12, reason = ?13, status = ?14, note = ?15, "
                            "first_failure_ms = ?16, last_failure_ms = ?17, "
                            "dead_lettered_ms = ?18, updated_ms = ?19, error_text = ?20, "
                            "letterings_json = ?21 WHERE task_id = ?1"};
      write_letter(update, merged);
    }
    db_.exec("COMMIT");
    ++commits_;
  } catch (...) {
    insert_->reset();
    db_.rollback();
    throw;
  }
  return depth_change;
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
  // 0 is no bound; a bound before the epoch is kept (an until before it selects nothing).
  if (filter.since_ms != 0)
    add("dead_lettered_ms >= " + std::to_string(filter.since_ms));
  if (filter.until_ms != 0)
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
    // A time the nanosecond clock cannot hold is corruption, not an overflow.
    auto time_at = [&row](int column) {
      auto ms = row.integer(column);
      if (ms < -max_epoch_ms || ms > max_epoch_ms)
        throw std::runtime_error("its time " + std::to_string(ms) + " ms is out of range");
      return from_epoch_ms(ms);
    };
    t.created = time_at(8);
    t.deadline = time_at(9);
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
    result.letterings = nlohmann::json::parse(row.text(20)).get<std::vector<dead_lettering>>();
  } catch (const std::exception& e) {
    db_.fail("the dead letter of task \"" + t.id + "\" is corrupt: " + e.what());
  }
  return result;
}

std::optional<dead_letter> dead_letter_store::get(const std::string& id) const {
  statement select{db_, std::string{"SELECT "} + letter_columns +
                            " FROM dead_letters WHERE task_id = ?"};
  select.bind(1, id);
  if (!select.step())
    return std::nullopt;
  return read_letter(select);
}

std::vector<dead_letter> dead_letter_store::query(const dead_letter_filter& filter,
                                                  std::vector<std::string>& corrupt) const {
  std::vector<std::string> args;
  auto sql = std::string{"SELECT "} + letter_columns + " FROM dead_letters" +
             where_clause(filter, args) + " ORDER BY dead_lettered_ms, rowid";
  if (filter.limit > 0)
    sql += " LIMIT " + std::to_string(filter.limit);
  statement select{db_, sql};
  for (size_t i = 0; i < args.size(); ++i)
    select.bind(static_cast<int>(i + 1), args[i]);
  std::vector<dead_letter> result;
  while (select.step()) {
    try {
      result.push_back(read_letter(select));
    } catch (const store_error& e) {
      corrupt.push_back(e.problem());
    }
  }
  return result;
}

int64_t dead_letter_store::count(const dead_letter_filter& filter) const {
  std::vector<std::string> args;
  statement select{db_, "SELECT COUNT(*) FROM dead_letters" + where_clause(filter, args)};
  for (size_t i = 0; i < args.size(); ++i)
    select.bind(static_cast<int>(i + 1), args[i]);
  return select.step() ? select.integer(0) : 0;
}

dead_letter_stats dead_letter_store::stats() const {
  dead_letter_stats result;
  for (auto status :
       {dead_letter_status::pending, dead_letter_status::replaying, dead_letter_status::replayed,
        dead_letter_status::succeeded, dead_letter_status::resolved, dead_letter_status::poison})
    result.by_status[to_string(status)] = 0;
  statement select{db_, "SELECT status, reason, COUNT(*) FROM dead_letters "
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
  statement select{db_, "SELECT COUNT(*) FROM dead_letters "
                        "WHERE status IN ('pending', 'replaying', 'poison')"};
  return select.step() ? select.integer(0) : 0;
}

std::map<std::string, int64_t> dead_letter_store::depth_by_reason() const {
  // Answered from the (status, reason) index.
  statement select{db_, "SELECT reason, COUNT(*) FROM dead_letters "
                        "WHERE status IN ('pending', 'replaying', 'poison') GROUP BY reason"};
  std::map<std::string, int64_t> result;
  while (select.step())
    result[select.text(0)] = select.integer(1);
  return result;
}

int64_t dead_letter_store::data_version() const {
  statement version{db_, "PRAGMA data_version"};
  return version.step() ? version.integer(0) : 0;
}

int64_t dead_letter_store::set_status(const std::vector<std::string>& ids,
                                      dead_letter_status status, int64_t now_ms) {
  if (ids.empty())
    return 0;
  statement update{db_, "UPDATE dead_letters SET status = ?, updated_ms = ? WHERE task_id = ?"};
  int64_t result = 0;
  db_.exec("BEGIN IMMEDIATE");
  try {
    for (auto& id : ids) {
      update.bind(1, to_string(status)).bind(2, now_ms).bind(3, id);
      update.run();
      result += db_.changes();
    }
    db_.exec("COMMIT");
  } catch (...) {
    db_.rollback();
    throw;
  }
  return result;
}

void dead_letter_store::mark_replayed(const std::vector<std::string>& ids, int64_t now_ms) {
  if (ids.empty())
    return;
  statement update{db_, "UPDATE dead_letters SET status = 'replayed', replays = replays + 1, "
                        "updated_ms = ? WHERE task_id = ?"};
  db_.exec("BEGIN IMMEDIATE");
  try {
    for (auto& id : ids) {
      update.bind(1, now_ms).bind(2, id);
      update.run();
    }
    db_.exec("COMMIT");
  } catch (...) {
    db_.rollback();
    throw;
  }
}

bool dead_letter_store::mark_succeeded(const std::string& id, int64_t now_ms) {
  statement update{db_, "UPDATE dead_letters SET status = 'succeeded', updated_ms = ? "
                        "WHERE task_id = ? AND status = 'replayed'"};
  update.bind(1, now_ms).bind(2, id);
  update.run();
  return db_.changes() > 0;
}

bool dead_letter_store::resolve(const std::string& id, const std::string& note, int64_t now_ms) {
  statement select{db_, "SELECT note FROM dead_letters WHERE task_id = ?"};
  select.bind(1, id);
  if (!select.step())
    return false;
  auto notes = append_note(select.text(0), now_ms, "resolved: " + note);
  statement update{db_, "UPDATE dead_letters SET status = 'resolved', note = ?, updated_ms = ? "
                        "WHERE task_id = ?"};
  update.bind(1, notes).bind(2, now_ms).bind(3, id);
  update.run();
  return db_.changes() > 0;
}

int64_t dead_letter_store::purge(const dead_letter_filter& filter) {
  std::vector<std::string> args;
  auto where = where_clause(filter, args);
  std::string sql = "DELETE FROM dead_letters" + where;
  if (filter.limit > 0)
    sql = "DELETE FROM dead_letters WHERE rowid IN (SELECT rowid FROM dead_letters" + where +
          " ORDER BY dead_lettered_ms, rowid LIMIT " + std::to_string(filter.limit) + ")";
  statement remove{db_, sql};
  for (size_t i = 0; i < args.size(); ++i)
    remove.bind(static_cast<int>(i + 1), args[i]);
  remove.run();
  return db_.changes();
}

// -- replay requests --------------------------------------------------------------------------

replay_request dead_letter_store::read_request(statement& row) const {
  replay_request result;
  result.id = row.integer(0);
  try {
    result.filter = dead_letter_filter::from_json(json_reader{nlohmann::json::parse(row.text(1))});
  } catch (const std::exception& e) {
    db_.fail("replay request " + std::to_string(result.id) + " is corrupt: " + e.what());
  }
  result.rate = row.real(2);
  result.state = row.text(3);
  result.total = row.integer(4);
  result.sent = row.integer(5);
  result.requested_ms = row.integer(6);
  result.updated_ms = row.integer(7);
  return result;
}

int64_t dead_letter_store::count_replayable(const dead_letter_filter& filter) const {
  bool poison_too = !filter.ids.empty() || filter.status == "poison";
  auto selected = filter;
  selected.status = "pending";
  auto result = filter.status.empty() || filter.status == "pending" ? count(selected) : 0;
  if (poison_too) {
    selected.status = "poison";
    result += count(selected);
  }
  if (filter.limit > 0)
    result = std::min(result, filter.limit);
  return result;
}

replay_request dead_letter_store::add_replay_request(const dead_letter_filter& filter, double rate,
                                                     const std::string& state, int64_t now_ms,
                                                     int64_t total) {
  statement insert{db_, "INSERT INTO replay_requests(filter_json, rate, state, total, sent, "
                        "requested_ms, updated_ms) VALUES(?, ?, ?, ?, 0, ?, ?)"};
  insert.bind(1, filter.to_json().dump())
      .bind(2, rate)
      .bind(3, state)
      .bind(4, total)
      .bind(5, now_ms)
      .bind(6, now_ms);
  insert.run();
  replay_request result;
  result.id = db_.last_insert_rowid();
  result.filter = filter;
  result.rate = rate;
  result.state = state;
  result.total = total;
  result.requested_ms = now_ms;
  result.updated_ms = now_ms;
  return result;
}

void dead_letter_store::update_replay_request(const replay_request& request, int64_t now_ms) {
  statement update{db_, "UPDATE replay_requests SET state = ?, total = ?, sent = ?, "
                        "updated_ms = ? WHERE id = ?"};
  update.bind(1, request.state).bind(2, request.total).bind(3, request.sent).bind(4, now_ms);
  update.bind(5, request.id);
  update.run();
}

std::optional<replay_request> dead_letter_store::replay_request_of(int64_t id) const {
  statement select{db_,
                   std::string{"SELECT "} + request_columns + " FROM replay_requests WHERE id = ?"};
  select.bind(1, id);
  if (!select.step())
    return std::nullopt;
  return read_request(select);
}

std::vector<replay_request> dead_letter_store::replay_requests(const std::string& state) const {
  statement select{db_, std::string{"SELECT "} + request_columns + " FROM replay_requests" +
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
    db_.fail("the escalation of task \"" + id + "\" is corrupt: " + e.what());
  }
  return result;
}

void dead_letter_store::put_escalation(const escalation& x) {
  statement insert{db_, "INSERT INTO escalations(task_id, reason, status, note, escalated_ms, "
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
  statement select{db_, std::string{"SELECT "} + escalation_columns +
                            " FROM escalations WHERE task_id = ?"};
  select.bind(1, id);
  if (!select.step())
    return std::nullopt;
  return read_escalation(select);
}

std::vector<escalation> dead_letter_store::escalations(std::optional<escalation_status> status,
                                                       std::vector<std::string>& corrupt) const {
  statement select{db_, std::string{"SELECT "} + escalation_columns + " FROM escalations" +
                            (status ? " WHERE status = ?" : "") + " ORDER BY escalated_ms, rowid"};
  if (status)
    select.bind(1, to_string(*status));
  std::vector<escalation> result;
  while (select.step()) {
    try {
      result.push_back(read_escalation(select));
    } catch (const store_error& e) {
      corrupt.push_back(e.problem());
    }
  }
  return result;
}

} // namespace herd
