#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "herd/breakers/breaker_state.hpp"
#include "herd/history/history_config.hpp"
#include "herd/history/history_store.hpp"
#include "herd/history/recovery_interval.hpp"
#include "herd/history/settled_task.hpp"

namespace herd {

/// What the history recorder does, without an actor: collects settled tasks and recoveries in
/// memory and commits them to a `history_store` in batches (group commit), and deletes rows
/// older than the retention at most once an hour. All times are wall-clock UTC epoch ms.
///
/// Recoveries: a breaker is down from its first transition to open or forced_open until one to
/// closed, disabled or metrics_only (half_open changes nothing); an agent is down from its first
/// down event (suspect, isolated, exited, restarting, ...) until `agent_up` (a new incarnation
/// started). An outage still going on is not written. A failed commit keeps its rows for the
/// next flush, up to `max_kept` rows (beyond, the oldest are dropped and counted).
class history_collector {
public:
  /// Rows kept in memory while the store fails; older ones are dropped beyond. Default: 100000.
  static constexpr size_t max_kept = 100000;
  /// How often old rows are deleted, at most: an hour.
  static constexpr int64_t purge_every_ms = 3600 * 1000;

  /// A collector writing to `store` (which must outlive it) as `config` says.
  history_collector(history_store& store, history_config config);

  /// Collects a settled task (times on the wall clock).
  void settled(settled_task x);
  /// A breaker `key` changed to `to` at `at_ms`.
  void breaker_changed(const std::string& key, breaker_state to, int64_t at_ms);
  /// Agent `name` went down (or is still down) at `at_ms`.
  void agent_down(const std::string& name, int64_t at_ms);
  /// Agent `name` is healthy again at `at_ms`: ends its outage, if any.
  void agent_up(const std::string& name, int64_t at_ms);

  /// Rows waiting for the next flush.
  size_t buffered() const { return tasks_.size() + recoveries_.size(); }
  /// True once `config.max_batch` rows wait: flush now.
  bool batch_full() const;
  /// Commits what waits in one transaction and, at most once an hour, deletes rows older than
  /// the retention; returns the rows committed (0 if the store failed: see `last_error`).
  int64_t flush(int64_t now_ms);

  /// Rows committed so far. Default: 0.
  int64_t written() const { return written_; }
  /// Rows dropped because the store kept failing. Default: 0.
  int64_t dropped() const { return dropped_; }
  /// The last store failure, empty once a flush succeeded. Default: empty.
  const std::string& last_error() const { return last_error_; }

private:
  void down(recovery_subject type, const std::string& name, int64_t at_ms);
  void up(recovery_subject type, const std::string& name, int64_t at_ms);
  void keep_bounded();

  history_store& store_;
  history_config config_;
  std::vector<settled_task> tasks_;
  std::vector<recovery_interval> recoveries_;
  std::map<std::pair<recovery_subject, std::string>, int64_t> down_since_;
  int64_t written_ = 0;
  int64_t dropped_ = 0;
  std::optional<int64_t> last_purge_ms_; // none before the first flush
  std::string last_error_;
};

} // namespace herd
