#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/history/settled_task.hpp"

namespace herd {

/// What the dispatcher remembers of each pending task for the task history, apart from its
/// own tables (so the hot path pays nothing without a history recorder): kind, pool, service
/// and when it entered. `note` when a task enters (submit or re-entry), `settle` when it ends.
class task_ledger {
public:
  /// Notes `t` entering at `now` unless its id is noted already (a retry keeps the first
  /// time); true if noted now.
  bool note(const task& t, time_point now);
  /// Forgets `task_id` (a submit that was refused or answered from the record).
  void forget(const std::string& task_id);
  /// The settled task of `result` at `now`, forgetting it; none if it was not noted.
  std::optional<settled_task> settle(const outcome& result, time_point now);
  /// Tasks noted and not settled.
  size_t size() const { return entries_.size(); }

private:
  struct entry {
    std::string kind;
    std::string pool;
    std::string service;
    time_point entered;
  };
  std::unordered_map<std::string, entry> entries_;
};

} // namespace herd
