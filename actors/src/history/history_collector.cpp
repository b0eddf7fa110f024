#include "herd/history/history_collector.hpp"

#include <exception>

namespace herd {

history_collector::history_collector(history_store& store, history_config config)
    : store_(store), config_(std::move(config)) {}

void history_collector::settled(settled_task x) {
  tasks_.push_back(std::move(x));
  keep_bounded();
}

void history_collector::breaker_changed(const std::string& key, breaker_state to, int64_t at_ms) {
  switch (to) {
  case breaker_state::open:
  case breaker_state::forced_open:
    down(recovery_subject::breaker, key, at_ms);
    break;
  case breaker_state::half_open:
    break; // still down: probing
  case breaker_state::closed:
  case breaker_state::disabled:
  case breaker_state::metrics_only:
    up(recovery_subject::breaker, key, at_ms);
    break;
  }
}

void history_collector::agent_down(const std::string& name, int64_t at_ms) {
  down(recovery_subject::agent, name, at_ms);
}

void history_collector::agent_up(const std::string& name, int64_t at_ms) {
  up(recovery_subject::agent, name, at_ms);
}

void history_collector::down(recovery_subject type, const std::string& name, int64_t at_ms) {
  down_since_.emplace(std::make_pair(type, name), at_ms); // the first down event counts
}

void history_collector::up(recovery_subject type, const std::string& name, int64_t at_ms) {
  auto i = down_since_.find(std::make_pair(type, name));
  if (i == down_since_.end())
    return;
  recoveries_.push_back(recovery_interval{type, name, i->second, at_ms});
  down_since_.erase(i);
  keep_bounded();
}

bool history_collector::batch_full() const {
  return static_cast<int64_t>(buffered()) >= config_.max_batch;
}

int64_t history_collector::flush(int64_t now_ms) {
  int64_t rows = 0;
  try {
    if (buffered() > 0) {
      store_.add(tasks_, recoveries_);
      rows = static_cast<int64_t>(buffered());
      written_ += rows;
      tasks_.clear();
      recoveries_.clear();
    }
    if (!last_purge_ms_ || now_ms - *last_purge_ms_ >= purge_every_ms) {
      store_.purge_before(now_ms - to_ms(config_.retention));
      last_purge_ms_ = now_ms;
    }
    last_error_.clear();
  } catch (const std::exception& e) {
    last_error_ = e.what();
  }
  return rows;
}

void history_collector::keep_bounded() {
  while (buffered() > max_kept) {
    // Tasks first: they are most of the rows.
    if (!tasks_.empty())
      tasks_.erase(tasks_.begin());
    else
      recoveries_.erase(recoveries_.begin());
    ++dropped_;
  }
}

} // namespace herd
