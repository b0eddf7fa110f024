#pragma once

#include <cstdint>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/failure.hpp"
#include "herd/core/outcome.hpp"

namespace herd {

class agent;

/// Finishes one task that an agent's `handle_async` started. Copyable; the first call to
/// `succeed`, `fail` or `finish` reports the outcome and later calls do nothing (nor do calls
/// after the agent lost the lease). Call it only from the agent's own context (its handlers and
/// their response callbacks).
class task_completion {
public:
  /// Reports success with a JSON result.
  void succeed(const nlohmann::json& result) const;
  /// Reports a classified failure.
  void fail(failure why) const;
  /// Reports an outcome built by the caller.
  void finish(outcome result) const;
  /// True once the task was reported (or its lease is no longer the agent's).
  bool done() const;

private:
  friend class agent;
  task_completion(agent* self, uint64_t lease_id);

  agent* self_;
  uint64_t lease_id_;
};

} // namespace herd
