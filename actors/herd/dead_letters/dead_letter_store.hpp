#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "herd/dead_letters/dead_letter.hpp"
#include "herd/dead_letters/dead_letter_filter.hpp"
#include "herd/dead_letters/dead_letter_stats.hpp"
#include "herd/dead_letters/escalation.hpp"
#include "herd/dead_letters/replay_request.hpp"
#include "herd/dead_letters/store_error.hpp"
#include "herd/storage/sqlite_connection.hpp"
#include "herd/storage/sqlite_statement.hpp"

namespace herd {

/// The durable home of dead letters, escalations and replay requests: one SQLite database file
/// in WAL mode, with a versioned schema (`PRAGMA user_version`) that is migrated forward on open
/// and a herd mark (`PRAGMA application_id`) that keeps it from touching foreign databases.
///
/// Durability: `synchronous=FULL` by default, so a write that returned is in the WAL and synced
/// to disk and survives a process crash and a power loss ("acknowledged = durable"). NORMAL in
/// WAL mode also survives a process crash (SIGKILL) but may lose the last commits on power loss;
/// it is offered for hosts that accept that. Group commit (`add` of a batch in one transaction)
/// pays one sync for the whole batch.
///
/// Every failure throws `store_error` naming the file and the problem; a file that is missing,
/// foreign (not an SQLite file, or another application's), corrupt (truncated, damaged) or from
/// a newer schema is never written. A letter whose row cannot be read is reported by `query`
/// and skipped, never hiding the others. Not thread-safe: one owner (one actor or one
/// command) per object; several objects (processes) may share a file.
class dead_letter_store {
public:
  /// The schema version this herd writes. Version 1: dead letters; version 2: replay requests
  /// and escalations; version 3: every dead-lettering of a task, all times wall-clock UTC.
  static constexpr int latest_schema_version = 3;

  /// How to open a file.
  enum class open_mode {
    /// Create the file (and the schema) if it does not exist; migrate an older one.
    create,
    /// The file must exist already; an older one is migrated (the writing `herd` commands).
    existing,
    /// The file must exist and is never written nor migrated (an older schema is an error that
    /// says a migration is needed); works in a read-only directory (the reading commands).
    read_only,
  };

  /// Opens (or creates) `file` and migrates it to `schema_version` (default: the latest; an
  /// older one only for migration tests). `synchronous` is "full" (default) or "normal".
  explicit dead_letter_store(const std::string& file, open_mode mode = open_mode::create,
                             int schema_version = latest_schema_version,
                             const std::string& synchronous = "full");
  ~dead_letter_store();

  dead_letter_store(const dead_letter_store&) = delete;
  dead_letter_store& operator=(const dead_letter_store&) = delete;

  // -- properties -----------------------------------------------------------------------------

  /// The database file.
  const std::string& file() const { return file_; }
  /// The schema version of the file.
  int schema_version() const;
  /// The result of `PRAGMA integrity_check`: "ok" when the file is sound.
  std::string integrity_check() const;
  /// Transactions `add` has committed through this object (one per batch).
  int64_t commits() const { return commits_; }

  // -- dead letters ---------------------------------------------------------------------------

  /// Stores a batch in one transaction (group commit); a letter whose task id is stored already
  /// is merged into it (`dead_letter::merge`: its history grows, nothing is lost, a resolved one
  /// is reopened with a note). Durable when it returns. Returns how `depth_by_reason` changed:
  /// +1 on the reason of each new letter, and for a merged one -1 on what it was and +1 on what
  /// it is now (where its status counts); nullopt when a stored letter that could not be read was
  /// replaced (count again).
  std::optional<std::map<std::string, int64_t>> add(const std::vector<dead_letter>& batch);
  /// The letter of task `id`, if stored; throws `store_error` if its row is corrupt.
  std::optional<dead_letter> get(const std::string& id) const;
  /// The letters matching `filter`, oldest first; a row that cannot be read is skipped and its
  /// problem (naming the task id) appended to `corrupt`.
  std::vector<dead_letter> query(const dead_letter_filter& filter,
                                 std::vector<std::string>& corrupt) const;
  /// How many letters match `filter` (its limit ignored).
  int64_t count(const dead_letter_filter& filter) const;
  /// Counts by status and by reason.
  dead_letter_stats stats() const;
  /// Letters that wait for someone: pending, replaying and poison.
  int64_t depth() const;
  /// The letters of `depth()` by reason name; reasons without one are absent.
  std::map<std::string, int64_t> depth_by_reason() const;
  /// SQLite's `PRAGMA data_version`: changes when another connection (another process, such as
  /// `herd dlq`) commits to the file, not when this one does.
  int64_t data_version() const;
  /// Sets the status of the letters `ids` in one transaction; returns how many exist.
  int64_t set_status(const std::vector<std::string>& ids, dead_letter_status status,
                     int64_t now_ms);
  /// Marks the letters `ids` replayed as their tasks are sent, counting one more replay each.
  void mark_replayed(const std::vector<std::string>& ids, int64_t now_ms);
  /// Marks letter `id` succeeded if it is still `replayed` (its replay completed); returns
  /// whether it changed.
  bool mark_succeeded(const std::string& id, int64_t now_ms);
  /// Marks letter `id` resolved, appending "<time> resolved: <note>" to its notes; false if there
  /// is no such letter.
  bool resolve(const std::string& id, const std::string& note, int64_t now_ms);
  /// Deletes the letters matching `filter`; returns how many.
  int64_t purge(const dead_letter_filter& filter);

  // -- replay requests ------------------------------------------------------------------------

  /// Records a replay request in `state` ("requested" for the service to pick up) with the
  /// `total` letters it selects now; returns it with its id.
  replay_request add_replay_request(const dead_letter_filter& filter, double rate,
                                    const std::string& state, int64_t now_ms, int64_t total = 0);
  /// How many letters a replay of `filter` selects: the pending ones, and the poison ones too
  /// when it names ids or status poison.
  int64_t count_replayable(const dead_letter_filter& filter) const;
  /// Updates the state and progress of a request.
  void update_replay_request(const replay_request& request, int64_t now_ms);
  /// The request `id`, if any.
  std::optional<replay_request> replay_request_of(int64_t id) const;
  /// Every request, newest first, or only those in `state`.
  std::vector<replay_request> replay_requests(const std::string& state = "") const;

  // -- escalations ----------------------------------------------------------------------------

  /// Stores an escalation (replacing one of the same task id). Durable when it returns.
  void put_escalation(const escalation& x);
  /// The escalation of task `id`, if any.
  std::optional<escalation> get_escalation(const std::string& id) const;
  /// Escalations, oldest first, all or only those with `status`; a row that cannot be read is
  /// skipped and its problem (naming the task id) appended to `corrupt`.
  std::vector<escalation> escalations(std::optional<escalation_status> status,
                                      std::vector<std::string>& corrupt) const;

private:
  using statement = sqlite_statement;

  void open_checked(open_mode mode, int schema_version, const std::string& synchronous);
  void write_letter(statement& row, const dead_letter& x);
  void migrate(int from, int to);
  std::string where_clause(const dead_letter_filter& filter, std::vector<std::string>& args) const;
  dead_letter read_letter(statement& row) const;
  escalation read_escalation(statement& row) const;
  replay_request read_request(statement& row) const;

  std::string file_;
  sqlite_connection db_;
  std::unique_ptr<statement> insert_; // prepared once on db_, finalized before it closes
  int64_t commits_ = 0;
};

} // namespace herd
