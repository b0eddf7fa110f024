#include "history/task_ledger.hpp"

namespace herd {

bool task_ledger::note(const task& t, time_point now) {
  return entries_.try_emplace(t.id, entry{t.kind, t.pool, t.service, now}).second;
}

void task_ledger::forget(const std::string& task_id) {
  entries_.erase(task_id);
}

std::optional<settled_task> task_ledger::settle(const outcome& result, time_point now) {
  auto i = entries_.find(result.task_id);
  if (i == entries_.end())
    return std::nullopt;
  auto& e = i->second;
  settled_task row;
  row.task_id = result.task_id;
  row.kind = std::move(e.kind);
  row.pool = std::move(e.pool);
  row.service = !e.service.empty() ? std::move(e.service) : result.error.service;
  row.state = result.status;
  row.attempts = result.attempt;
  row.accepted = e.entered;
  row.settled = now;
  row.agent = result.agent;
  entries_.erase(i);
  return row;
}

} // namespace herd
