#pragma once

#include <string>

#include "herd/history/settled_task.hpp"

namespace herd::test {

/// A settled task of `kind` in `state` after `attempts`, accepted at `accepted_ms` and settled
/// `duration_ms` later (wall-clock epoch ms).
inline settled_task settled(std::string id, std::string kind, outcome_status state,
                            int32_t attempts, int64_t accepted_ms, int64_t duration_ms) {
  settled_task t;
  t.task_id = std::move(id);
  t.kind = std::move(kind);
  t.pool = "pool";
  t.service = "llm";
  t.state = state;
  t.attempts = attempts;
  t.accepted = from_epoch_ms(accepted_ms);
  t.settled = from_epoch_ms(accepted_ms + duration_ms);
  t.agent = "pool-1";
  return t;
}

} // namespace herd::test
