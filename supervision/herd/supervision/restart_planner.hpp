#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "herd/core/time.hpp"
#include "herd/supervision/child_spec.hpp"
#include "herd/supervision/restart_backoff.hpp"
#include "herd/supervision/restart_intensity.hpp"
#include "herd/supervision/supervisor_config.hpp"

namespace herd {

/// Where a supervisor's child is in its life, as the planner sees it.
enum class child_status : uint8_t {
  /// An incarnation runs.
  running,
  /// It waits for its restart batch's timer.
  waiting,
  /// No incarnation runs and none is planned.
  stopped,
};

/// What a supervisor does after a child failed (exited, hung or did not start).
struct restart_plan {
  /// The decision.
  enum class decision : uint8_t {
    /// The child's restart type does not restart it after this exit; it stays stopped.
    not_restarted,
    /// More restarts than the intensity allows: stop every child and exit.
    give_up,
    /// Stop `stop`, then start `restart` after `delay` when batch `batch` is due.
    restart,
  };
  /// Default: not_restarted.
  decision what = decision::not_restarted;
  /// Running siblings the strategy stops, in reverse spec order. Default: none.
  std::vector<size_t> stop;
  /// The children that start again together, in spec order (the failed one among them).
  /// Default: none.
  std::vector<size_t> restart;
  /// The failed child's backoff delay before the batch starts. Default: 0.
  duration delay = duration{0};
  /// The batch number of the restart timer; stale batches start nothing. Default: 0.
  uint64_t batch = 0;
};

/// A supervisor's restart logic without an actor: the children's specs and status, which
/// children the strategy restarts (one_for_one: the failed one; one_for_all: all; rest_for_one:
/// the failed one and those after it in spec order), restart intensity, and one restart backoff
/// per child (child i seeded with `config.seed + i`). A temporary sibling that the strategy
/// stops is not restarted; a stopped sibling stays stopped. Fed with actor-clock times.
class restart_planner {
public:
  /// A planner with `config`'s strategy, intensity and backoff, and no children.
  explicit restart_planner(const supervisor_config& config);

  /// Adds a child after the others (stopped); returns its index.
  size_t add(child_spec spec);
  /// Puts `spec` (stopped, with a fresh backoff) in the slot of a child that ran and stopped
  /// for good (removed, or not restarted), or after the others if there is none; returns its
  /// index. A pool that grows and shrinks keeps as many slots as it ever had children at once.
  size_t reuse_or_add(child_spec spec);
  /// The number of children.
  size_t size() const { return children_.size(); }
  /// The spec of child `i`.
  const child_spec& spec(size_t i) const { return children_[i].spec; }
  /// The status of child `i`.
  child_status status(size_t i) const { return children_[i].status; }

  /// Child `i` runs a new incarnation; true if it had run before (a restart, not its first start).
  bool started(size_t i);
  /// Child `i` failed at `now` (`abnormal`: not a normal exit or user_shutdown, or a hang, or
  /// a failed start); decides, and marks the children of a restart plan (siblings to stop and
  /// children to restart wait for the plan's batch; a not-restarted child is stopped).
  restart_plan failed(size_t i, bool abnormal, time_point now);
  /// True if child `i` waits for `batch` (its restart timer fired).
  bool due(size_t i, uint64_t batch) const;
  /// Child `i` is stopped (its supervisor shuts down); no batch restarts it.
  void stop(size_t i);
  /// Drops every child (the supervisor is gone).
  void clear() { children_.clear(); }

private:
  struct child {
    child_spec spec;
    restart_backoff backoff;
    child_status status = child_status::stopped;
    uint64_t batch = 0; // the pending restart batch; 0 = none
    bool started_once = false;
  };

  // A fresh backoff for the child in slot `i` (seeded with `config.seed + i`).
  restart_backoff backoff_of(size_t i) const;

  supervisor_config config_;
  restart_intensity intensity_;
  std::vector<child> children_;
  uint64_t next_batch_ = 0;
};

} // namespace herd
