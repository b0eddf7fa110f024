#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include "herd/core/outcome.hpp"

namespace herd::cli {

/// Outcomes in the order they arrive (not the order of submission), so a progress line never
/// waits on one slow early task. Thread-safe: actors add, the command's thread waits.
class outcome_inbox {
public:
  /// An outcome arrived.
  void add(outcome o);
  /// A task was refused (an error instead of an outcome).
  void refuse();
  /// Waits until at least `n` tasks have an answer; returns how many have one and how many of
  /// those failed.
  std::pair<size_t, size_t> wait_for(size_t n);
  /// The outcomes so far, in the order they arrived.
  std::vector<outcome> outcomes();
  /// How many tasks were refused so far.
  size_t refused();

private:
  std::mutex mtx_;
  std::condition_variable arrived_;
  std::vector<outcome> outcomes_;
  size_t failed_ = 0;
  size_t refused_ = 0;
};

} // namespace herd::cli
