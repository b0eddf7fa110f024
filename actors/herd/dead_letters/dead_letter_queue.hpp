#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/response_promise.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/subscriber_list.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_queue_config.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dead_letters/protocol.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// The durable dead-letter queue: stores tasks that could not be completed, answers queries,
/// replays them into the dispatcher at a bounded rate, and raises an alert when it gets deep.
///
/// Protocol (atoms in herd/dead_letters/protocol.hpp and herd/core/atoms.hpp):
/// - `(dead_letter_atom, task, dead_letter_reason) -> ok_atom`: stores the task; the reply comes
///   after the commit. Letters that arrive together share one transaction (group commit, at
///   most `max_batch`). A task replayed `max_replays` times or more is stored as poison.
/// - `(dlq_settle_atom, task, dead_letter_reason, std::string why) -> ok_atom`: the same for a
///   task the dispatcher is waiting for (the retry scheduler's hand-over); after the commit the
///   queue also settles it with the dispatcher as `(settle_atom, outcome)`, status
///   dead_lettered. When the commit fails the error is replied and nothing is settled: the
///   sender decides the task's end.
/// - `(dlq_query_atom, dead_letter_filter) -> std::vector<dead_letter>` (oldest first);
///   `(dlq_get_atom, id) -> dead_letter`; `(dlq_stats_atom) -> dead_letter_stats`.
/// - `(dlq_replay_atom, dead_letter_filter, double rate) -> replay_request`: replays the
///   matching pending letters (by ids or `status: "poison"` also poison ones), oldest first, at
///   most `rate` per second (<= 0: the configured default): each re-enters the dispatcher as
///   `(resubmit_atom, task)` with attempt 1, replays + 1 and its history.
///   `(dlq_progress_atom, id) -> replay_request`; `(dlq_cancel_atom, id) -> replay_request`
///   puts the letters not yet sent back to pending.
/// - `(dlq_resolve_atom, id, note) -> bool`; `(dlq_purge_atom, dead_letter_filter) -> int64_t`.
/// - `(subscribe_atom, actor)` / `(unsubscribe_atom, actor)`: alert events
///   `(dlq_alert_atom, depth, threshold)` when the depth reaches `depth_alert` (again only after
///   it fell below). `(subscribe_atom, actor, int64_t threshold)` watches a threshold of the
///   subscriber's own: it gets `(dlq_alert_atom, depth, threshold)` when the depth reaches it
///   (at once if it already has; again only after it fell below); no log line, no metric.
/// Records hold wall-clock UTC times: a stored task's times move from the actor clock to the wall
/// clock, and back for a replay. A replayed letter is marked `replayed` (its replay count one
/// higher) right after its task is sent, and `succeeded` when the dispatcher reports the task
/// completed (the queue asks it with a `(submit_atom, task)` of the id it holds, which joins the
/// task's waiters); a task that fails again comes back and its letter's history grows. A replay is
/// at least once: a crash in between replays it again after the restart, so tasks with side effects
/// need idempotency keys. Every `poll_interval` it carries out replay requests that `herd dlq
/// replay` wrote to the database (and cancellations). Letters left `replaying` by a crash go back
/// to pending at start, and requests left running are picked up again. Errors are
/// `dead_letter_errc` codes: `no_such_letter` (get), `no_such_replay` (progress, cancel),
/// `store_failed` (the database failed; its message names the file and the problem).
class dead_letter_queue : public dead_letter_queue_actor::base {
public:
  /// A queue over `store` (its own connection: a store has one owner), replaying to `dispatcher`
  /// (required: throws `std::invalid_argument` without one), counting into `metrics`, stamping
  /// records with `wall_clock` (ms since the Unix epoch).
  dead_letter_queue(caf::actor_config& cfg, dead_letter_queue_config config,
                    std::unique_ptr<dead_letter_store> store, caf::actor dispatcher,
                    std::shared_ptr<metrics_registry> metrics,
                    std::function<int64_t()> wall_clock = herd::wall_now_ms);

  const char* name() const override { return "herd.dead_letter_queue"; }

  /// Sent tasks of a replay are never closer than this; faster rates send several per tick.
  static constexpr int64_t min_pace_ms = 10;

protected:
  behavior_type make_behavior() override;
  /// Commits the letters of the open batch (their senders get their acknowledgements) and lets
  /// go of its peers.
  void on_exit() override;

private:
  struct replay_run {
    replay_request request;
    std::vector<task> tasks;
    /// Each task's reason (the depth by reason falls as they are sent).
    std::vector<dead_letter_reason> reasons;
    time_point start;
  };

  caf::result<caf::ok_atom> on_add(task& t, dead_letter_reason reason,
                                   std::optional<outcome> settlement);
  void flush();
  replay_request start_replay(replay_request request);
  void pace(int64_t id);
  caf::result<replay_request> cancel(int64_t id);
  void finish(replay_run& run, const std::string& state);
  void watch(task t);
  void report_corrupt(const std::vector<std::string>& corrupt);
  void poll();
  void recover();
  /// Counts the depth by reason in the store (a scan of the status index), then publishes it.
  void count_depth();
  /// Sets the depth gauges and raises the alerts from `depth_`.
  void publish_depth();
  /// True if another process (`herd dlq purge`, `resolve`, ...) committed to the store since
  /// `depth_` was counted.
  bool changed_elsewhere() const;
  // The herd_dlq_depth series of `reason`, registered on first use.
  gauge& depth_gauge(const std::string& reason);
  caf::error failed(const std::exception& e);

  dead_letter_queue_config config_;
  std::unique_ptr<dead_letter_store> store_;
  caf::actor dispatcher_;
  std::shared_ptr<metrics_registry> metrics_;
  std::function<int64_t()> wall_clock_;
  std::shared_ptr<spdlog::logger> log_;

  std::vector<dead_letter> batch_;
  std::vector<caf::response_promise> waiting_;
  std::vector<outcome> settlements_; // sent to the dispatcher after the batch's commit
  bool flush_scheduled_ = false;
  std::map<int64_t, replay_run> replays_;
  subscriber_list subscribers_;
  bool alerted_ = false;
  /// A subscriber's own depth threshold.
  struct depth_watch {
    caf::actor who;
    int64_t threshold = 0;
    bool alerted = false;
  };
  std::vector<depth_watch> depth_watches_;
  std::string store_error_; // the store's last failure since its last committed batch
  /// The depth by reason: counted at start and after an operator's change, kept up to date by
  /// what this queue stores and sends.
  std::map<std::string, int64_t> depth_;
  /// The store's data_version when `depth_` was counted: another process's commit changes it.
  int64_t counted_version_ = 0;

  counter* stored_metric_;
  counter* commits_metric_;
  counter* replayed_metric_;
  counter* alerts_metric_;
  std::map<std::string, gauge*> depth_metrics_; // herd_dlq_depth by reason name
};

} // namespace herd
