#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

#include "herd/core/outcome.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// A task that reached a terminal state, as the task history keeps it: what the dispatcher
/// tells the history recorder, one row of `history_store`.
struct settled_task {
  /// The task's id. Default: empty.
  std::string task_id;
  /// Its kind. Default: empty.
  std::string kind;
  /// Its pool. Default: empty.
  std::string pool;
  /// The downstream service it called (its own, else its last failure's); empty if unknown.
  std::string service;
  /// Its terminal state. Default: completed.
  outcome_status state = outcome_status::completed;
  /// Attempts it took (the number of the last one; 0 if none started). Default: 0.
  int32_t attempts = 0;
  /// When the dispatcher accepted it (a replay: when it re-entered): on the actor clock in
  /// messages, on the wall clock (UTC since the Unix epoch) in the store.
  time_point accepted;
  /// When it reached its terminal state, on the same clock as `accepted`.
  time_point settled;
  /// The agent that ran its last attempt; empty if none did. Default: empty.
  std::string agent;

  /// Milliseconds from accepted to settled (never negative).
  int64_t duration_ms() const;
  /// Moves `accepted` and `settled` by `offset`: from the actor clock to the wall clock.
  void shift_times(duration offset);
};

/// Field-wise equality.
bool operator==(const settled_task& x, const settled_task& y);

/// Makes `settled_task` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, settled_task& x) {
  return f(caf::meta::type_name("herd::settled_task"), x.task_id, x.kind, x.pool, x.service,
           x.state, x.attempts, x.accepted, x.settled, x.agent);
}

} // namespace herd
