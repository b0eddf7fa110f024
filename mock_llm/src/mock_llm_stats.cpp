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
  connections_.insert(connection);
  auto& s = per_second_[second];
  ++s.requests;
  ++s.by_status[key];
}

nlohmann::json mock_llm_stats::to_json() const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto seconds = nlohmann::json::array();
  for (auto& [second, c] : per_second_)
    seconds.push_back({{"second", second}, {"requests", c.requests}, {"by_status", c.by_status}});
  return {
      {"requests", total_.requests}, {"by_status", total_.by_status},      {"by_fault", by_fault_},
      {"by_cause", by_cause_},       {"connections", connections_.size()}, {"per_second", seconds}};
}

void mock_llm_stats::reset() {
  std::lock_guard<std::mutex> guard{mutex_};
  total_ = counts{};
  by_fault_.clear();
  by_cause_.clear();
  connections_.clear();
  per_second_.clear();
}

} // namespace herd
