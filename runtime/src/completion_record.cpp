#include "herd/completion_record.hpp"

namespace herd {

const outcome* completion_record::find(const std::string& task_id) const {
  auto i = outcomes_.find(task_id);
  return i == outcomes_.end() ? nullptr : &i->second;
}

void completion_record::add(const std::string& task_id, const outcome& result) {
  if (capacity_ == 0 || !outcomes_.emplace(task_id, result).second)
    return;
  order_.push_back(task_id);
  if (order_.size() > capacity_) {
    outcomes_.erase(order_.front());
    order_.pop_front();
  }
}

} // namespace herd
