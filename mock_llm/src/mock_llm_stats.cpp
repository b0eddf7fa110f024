#include "herd/mock_llm/mock_llm_stats.hpp"

namespace herd {

void mock_llm_stats::record(int64_t second, int status, const std::string& fault,
                            const std::string& cause, const std::string& connection) {
  auto key = status == 0 ? std::string{"none"} : std::to_string(status);
  std::lock_guard<std::mutex> guard{mutex_};
  ++total_.requests;
  ++total_.by_status[key];
  ++by_fault_[fault];
  ++by_cause_[cause.empty() ? "none" : cause];
  auto [seen, added] = connections_.try_emplace(connection, second);
  if (added || second - seen->second > connection_idle_seconds)
    ++connection_count_;
  seen->second = second;
  auto& s = per_second_[second];
  ++s.requests;
  ++s.by_status[key];
  forget_before(second);
}

void mock_llm_stats::forget_before(int64_t second) {
  if (second < next_trim_)
    return;
  next_trim_ = second + 1;
  while (!per_second_.empty() && per_second_.begin()->first <= second - per_second_window)
    per_second_.erase(per_second_.begin());
  for (auto i = connections_.begin(); i != connections_.end();)
    i = second - i->second > connection_idle_seconds ? connections_.erase(i) : std::next(i);
}

nlohmann::json mock_llm_stats::to_json() const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto seconds = nlohmann::json::array();
  for (auto& [second, c] : per_second_)
    seconds.push_back({{"second", second}, {"requests", c.requests}, {"by_status", c.by_status}});
  return {
      {"requests", total_.requests}, {"by_status", total_.by_status},    {"by_fault", by_fault_},
      {"by_cause", by_cause_},       {"connections", connection_count_}, {"per_second", seconds}};
}

void mock_llm_stats::reset() {
  std::lock_guard<std::mutex> guard{mutex_};
  total_ = counts{};
  by_fault_.clear();
  by_cause_.clear();
  connections_.clear();
  connection_count_ = 0;
  per_second_.clear();
  next_trim_ = 0;
}

} // namespace herd
