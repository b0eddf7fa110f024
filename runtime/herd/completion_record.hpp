#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

#include "herd/outcome.hpp"

namespace herd {

/// The outcomes of completed task ids, for idempotency: bounded, forgetting the oldest first.
class completion_record {
public:
  /// A record of at most `capacity` ids (0 = remember nothing).
  explicit completion_record(size_t capacity) : capacity_(capacity) {}

  /// The recorded outcome of `task_id`, or null.
  const outcome* find(const std::string& task_id) const;
  /// Records the outcome of `task_id` (no effect if already recorded).
  void add(const std::string& task_id, const outcome& result);
  /// How many ids are remembered.
  size_t size() const { return outcomes_.size(); }

private:
  size_t capacity_;
  std::unordered_map<std::string, outcome> outcomes_;
  std::deque<std::string> order_;
};

} // namespace herd
