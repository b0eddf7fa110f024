#include "herd/journal/task_journal.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "herd/dead_letters/store_error.hpp"

namespace herd {

namespace {

/// The schema, one script per version; script i takes a file from version i to i + 1.
const char* const migrations[] = {
    // Version 1. Unfinished tasks, stored once at acceptance (one column per field; history and
    // route as JSON, empty when the task has none), in the order they were accepted (rowid).
    "CREATE TABLE unfinished("
    "  seq INTEGER PRIMARY KEY, task_id TEXT NOT NULL UNIQUE, accepted_ms INTEGER NOT NULL,"
    "  kind TEXT NOT NULL, pool TEXT NOT NULL, service TEXT NOT NULL, payload TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL, attempt INTEGER NOT NULL, replays INTEGER NOT NULL,"
    "  created_ms INTEGER NOT NULL, deadline_ms INTEGER NOT NULL, history_json TEXT NOT NULL,"
    "  route_json TEXT NOT NULL);"
    // Failed attempts of unfinished tasks, a small row each.
    "CREATE TABLE attempts("
    "  task_id TEXT NOT NULL, number INTEGER NOT NULL, record_json TEXT NOT NULL,"
    "  PRIMARY KEY(task_id, number)) WITHOUT ROWID;"
    // Settled tasks (every terminal state but handed_back), oldest first by rowid: the
    // idempotency table, trimmed by the retention from the front.
    "CREATE TABLE settled("
    "  seq INTEGER PRIMARY KEY, task_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,"
    "  settled_ms INTEGER NOT NULL, result TEXT NOT NULL, agent TEXT NOT NULL,"
    "  attempt INTEGER NOT NULL, served_by TEXT NOT NULL, degraded INTEGER NOT NULL,"
    "  error_json TEXT NOT NULL);",
};

static_assert(std::size(migrations) == size_t{task_journal::latest_schema_version});

/// Settled rows between two retention passes by count.
constexpr int64_t retention_stride = 1024;
/// The least time between two retention passes by age.
constexpr int64_t age_check_ms = 1000;

int64_t wall_ms_of(time_point t, duration offset) {
  return t == time_point{} ? 0 : to_epoch_ms(t + offset);
}

std::string history_text(const std::vector<attempt_record>& history, duration offset) {
  if (history.empty())
    return {};
  auto shifted = history;
  for (auto& a : shifted)
    a.time += offset;
  return nlohmann::json(shifted).dump();
}

std::string route_text(const tier_route& route) {
  if (route == tier_route{})
    return {};
  return nlohmann::json(route).dump();
}

} // namespace

// -- opening ------------------------------------------------------------------------------------

task_journal::task_journal(const std::string& file, journal_config config)
    : file_(file), config_(std::move(config)), db_(file) {
  lock();
  try {
    auto found = db_.open(false, true);
    int version = schema_version();
    if (version > latest_schema_version)
      db_.fail("journal schema version " + std::to_string(version) +
               " is newer than this herd supports (schema version " +
               std::to_string(latest_schema_version) + "); upgrade herd; nothing was changed");
    db_.use_wal("FULL", found.fresh);
    db_.exec("PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY");
    if (version < latest_schema_version)
      migrate(version);
    insert_task_ = std::make_unique<statement>(
        db_, "INSERT OR REPLACE INTO unfinished(task_id, seq, accepted_ms, kind, pool, service, "
             "payload, idempotency_key, attempt, replays, created_ms, deadline_ms, history_json, "
             "route_json) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    insert_attempt_ = std::make_unique<statement>(
        db_, "INSERT OR REPLACE INTO attempts(task_id, number, record_json) VALUES(?1, ?2, ?3)");
    insert_settled_ = std::make_unique<statement>(
        db_, "INSERT OR REPLACE INTO settled(task_id, status, settled_ms, result, agent, attempt, "
             "served_by, degraded, error_json) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    delete_task_ = std::make_unique<statement>(db_, "DELETE FROM unfinished WHERE task_id = ?1");
    delete_attempts_ = std::make_unique<statement>(db_, "DELETE FROM attempts WHERE task_id = ?1");
    statement last{db_, "SELECT COALESCE(MAX(seq), 0) FROM unfinished"}; // the rowid: at once
    if (last.step())
      last_seq_ = last.integer(0);
    statement failed{db_, "SELECT DISTINCT task_id FROM attempts"};
    while (failed.step())
      with_attempts_.insert(failed.text(0));
  } catch (...) {
    ::close(lock_fd_);
    throw;
  }
}

task_journal::~task_journal() {
  insert_task_.reset();
  insert_attempt_.reset();
  insert_settled_.reset();
  delete_task_.reset();
  delete_attempts_.reset();
  db_.close();
  if (lock_fd_ >= 0)
    ::close(lock_fd_); // releases the flock
}

void task_journal::lock() {
  auto name = lock_file();
  lock_fd_ = ::open(name.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0)
    throw store_error(file_, "cannot open the lock file " + name + ": " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    auto why = errno;
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (why == EWOULDBLOCK)
      throw store_error(file_, "the journal is in use by another running herd (it holds " + name +
                                   "); one journal has one writer: stop the other runtime or "
                                   "give this one another journal file");
    throw store_error(file_, "cannot lock " + name + ": " + std::strerror(why));
  }
}

void task_journal::migrate(int from) {
  db_.migrate(migrations, from, latest_schema_version, "the journal schema");
}

int task_journal::schema_version() const {
  return db_.user_version();
}

std::string task_journal::integrity_check() const {
  return db_.integrity_check();
}

int64_t task_journal::unfinished_count() const {
  statement count{db_, "SELECT COUNT(*) FROM unfinished"};
  return count.step() ? count.integer(0) : 0;
}

int64_t task_journal::settled_count() const {
  statement count{db_, "SELECT COUNT(*) FROM settled"};
  return count.step() ? count.integer(0) : 0;
}

int64_t task_journal::completed_count() const {
  statement count{db_, "SELECT COUNT(*) FROM settled WHERE status = 'completed'"};
  return count.step() ? count.integer(0) : 0;
}

// -- writing ------------------------------------------------------------------------------------

void task_journal::write(const std::vector<journal_record>& batch, int64_t now_ms) {
  if (batch.empty())
    return;
  // Tasks accepted in this batch that settle in it too: written as settled only.
  std::unordered_set<std::string_view> settled_here;
  std::unordered_set<std::string_view> accepted_here;
  for (auto& x : batch)
    if (x.what == journal_record::type::accepted)
      accepted_here.insert(x.work.id);
  for (auto& x : batch)
    if (x.what == journal_record::type::settled && x.result.status != outcome_status::handed_back &&
        accepted_here.count(x.result.task_id) > 0)
      settled_here.insert(x.result.task_id);
  auto seq = last_seq_;
  db_.exec("BEGIN IMMEDIATE");
  try {
    for (auto& x : batch) {
      switch (x.what) {
      case journal_record::type::accepted: {
        auto& t = x.work;
        if (settled_here.count(t.id) > 0)
          break;
        auto history = history_text(t.history, x.wall_offset);
        auto route = route_text(t.route);
        auto& row = *insert_task_;
        row.bind_static(1, t.id).bind(2, ++seq).bind(3, x.at_ms).bind_static(4, t.kind);
        row.bind_static(5, t.pool).bind_static(6, t.service).bind_static(7, t.payload);
        row.bind_static(8, t.idempotency_key).bind(9, int64_t{t.attempt});
        row.bind(10, int64_t{t.replays}).bind(11, wall_ms_of(t.created, x.wall_offset));
        row.bind(12, wall_ms_of(t.deadline, x.wall_offset)).bind_static(13, history);
        row.bind_static(14, route);
        row.run();
        break;
      }
      case journal_record::type::attempt_failed: {
        auto a = x.attempt;
        a.time += x.wall_offset;
        auto record = nlohmann::json(a).dump();
        insert_attempt_->bind_static(1, x.task_id).bind(2, int64_t{a.number});
        insert_attempt_->bind_static(3, record).run();
        with_attempts_.insert(x.task_id);
        break;
      }
      case journal_record::type::settled: {
        auto& r = x.result;
        if (r.status == outcome_status::handed_back)
          break; // stays unfinished: re-entered at the next start
        auto status = to_string(r.status);
        auto error = r.error == failure{} ? std::string{} : nlohmann::json(r.error).dump();
        auto& row = *insert_settled_;
        row.bind_static(1, r.task_id).bind_static(2, status).bind(3, x.at_ms);
        row.bind_static(4, r.result).bind_static(5, r.agent).bind(6, int64_t{r.attempt});
        row.bind_static(7, r.served_by).bind(8, int64_t{r.degraded ? 1 : 0});
        row.bind_static(9, error).run();
        ++settled_since_retention_;
        if (settled_here.count(r.task_id) == 0)
          delete_task_->bind_static(1, r.task_id).run();
        if (!with_attempts_.empty() && with_attempts_.erase(r.task_id) > 0)
          delete_attempts_->bind_static(1, r.task_id).run();
        break;
      }
      }
    }
    db_.exec("COMMIT");
  } catch (const store_error&) {
    db_.rollback();
    throw;
  }
  last_seq_ = seq;
  if (settled_since_retention_ >= retention_stride || now_ms - last_age_check_ms_ >= age_check_ms)
    apply_retention(now_ms);
}

int64_t task_journal::apply_retention(int64_t now_ms) {
  int64_t deleted = 0;
  last_age_check_ms_ = now_ms;
  settled_since_retention_ = 0;
  // Rows are in settling order by rowid: both bounds are a cut at the front, deleted in bulk.
  int64_t cut = 0; // delete rowids below it
  {
    statement newest{db_, "SELECT COALESCE(MAX(seq), 0) FROM settled"};
    if (newest.step())
      cut = newest.integer(0) - config_.max_completed + 1;
  }
  {
    statement young{db_, "SELECT seq FROM settled WHERE settled_ms >= ?1 ORDER BY seq LIMIT 1"};
    young.bind(1, now_ms - to_ms(config_.max_age));
    int64_t first_young = young.step() ? young.integer(0) : INT64_MAX;
    if (first_young == INT64_MAX) {
      statement newest{db_, "SELECT COALESCE(MAX(seq), 0) + 1 FROM settled"};
      first_young = newest.step() ? newest.integer(0) : 0;
    }
    cut = std::max(cut, first_young);
  }
  if (cut <= 1)
    return 0;
  db_.exec("BEGIN IMMEDIATE");
  try {
    statement trim{db_, "DELETE FROM settled WHERE seq < ?1"};
    trim.bind(1, cut).run();
    deleted = db_.changes();
    db_.exec("COMMIT");
  } catch (const store_error&) {
    db_.rollback();
    throw;
  }
  return deleted;
}

// -- reading ------------------------------------------------------------------------------------

journal_recovery task_journal::recover(int64_t max_completed) const {
  journal_recovery result;
  // Failed attempts first (few), by task; then the tasks in one pass in their order.
  std::unordered_map<std::string, std::vector<attempt_record>> attempts;
  {
    statement rows{db_, "SELECT task_id, record_json FROM attempts ORDER BY task_id, number"};
    while (rows.step()) {
      auto id = rows.text(0);
      try {
        attempts[id].push_back(nlohmann::json::parse(rows.text(1)).get<attempt_record>());
      } catch (const std::exception& e) {
        db_.fail("corrupt: a stored attempt of task " + id + " cannot be read (" + e.what() +
                 "); restore the journal from a backup or salvage it with sqlite3's .recover");
      }
    }
  }
  result.unfinished.reserve(static_cast<size_t>(unfinished_count()));
  {
    statement rows{db_, "SELECT task_id, kind, pool, service, payload, idempotency_key, attempt, "
                        "replays, created_ms, deadline_ms, history_json, route_json "
                        "FROM unfinished ORDER BY seq"};
    while (rows.step()) {
      auto& t = result.unfinished.emplace_back();
      t.id = rows.text(0);
      t.kind = rows.text(1);
      t.pool = rows.text(2);
      t.service = rows.text(3);
      t.payload = rows.text(4);
      t.idempotency_key = rows.text(5);
      t.attempt = static_cast<int32_t>(rows.integer(6));
      t.replays = static_cast<int32_t>(rows.integer(7));
      t.created = from_epoch_ms(rows.integer(8));
      t.deadline = from_epoch_ms(rows.integer(9));
      auto history = rows.text(10);
      auto route = rows.text(11);
      try {
        if (!history.empty())
          t.history = nlohmann::json::parse(history).get<std::vector<attempt_record>>();
        if (!route.empty())
          t.route = nlohmann::json::parse(route).get<tier_route>();
      } catch (const std::exception& e) {
        db_.fail("corrupt: the stored task " + t.id + " cannot be read (" + e.what() +
                 "); restore the journal from a backup or salvage it with sqlite3's .recover");
      }
      if (attempts.empty())
        continue;
      auto failed = attempts.find(t.id);
      if (failed == attempts.end())
        continue;
      for (auto& a : failed->second) {
        t.attempt = std::max(t.attempt, a.number + 1);
        t.history.push_back(std::move(a));
      }
    }
  }
  {
    statement rows{db_, "SELECT task_id, result, agent, attempt, served_by, degraded, error_json "
                        "FROM settled WHERE status = 'completed' ORDER BY seq DESC LIMIT ?1"};
    rows.bind(1, max_completed);
    while (rows.step()) {
      outcome o;
      o.task_id = rows.text(0);
      o.result = rows.text(1);
      o.agent = rows.text(2);
      o.attempt = static_cast<int32_t>(rows.integer(3));
      o.served_by = rows.text(4);
      o.degraded = rows.integer(5) != 0;
      auto error = rows.text(6);
      if (!error.empty())
        o.error = nlohmann::json::parse(error, nullptr, false).is_discarded()
                      ? failure::unknown(error)
                      : nlohmann::json::parse(error).get<failure>();
      result.completed.push_back(std::move(o));
    }
    std::reverse(result.completed.begin(), result.completed.end());
  }
  return result;
}

std::optional<outcome> task_journal::completed(const std::string& id) const {
  statement row{db_, "SELECT result, agent, attempt, served_by, degraded FROM settled "
                     "WHERE task_id = ?1 AND status = 'completed'"};
  row.bind(1, id);
  if (!row.step())
    return std::nullopt;
  outcome o;
  o.task_id = id;
  o.result = row.text(0);
  o.agent = row.text(1);
  o.attempt = static_cast<int32_t>(row.integer(2));
  o.served_by = row.text(3);
  o.degraded = row.integer(4) != 0;
  return o;
}

} // namespace herd
