#include "herd/notify/notification_router.hpp"

#include <algorithm>

namespace herd {

notification_router::notification_router(notifications_config config)
    : config_(std::move(config)), pending_(config_.webhooks.size(), 0) {}

std::vector<size_t> notification_router::targets(notification_kind kind) const {
  std::vector<size_t> result;
  for (size_t i = 0; i < config_.webhooks.size(); ++i)
    if (config_.webhooks[i].wants(kind))
      result.push_back(i);
  return result;
}

std::vector<size_t> notification_router::depth_targets(int64_t threshold) const {
  std::vector<size_t> result;
  for (auto i : targets(notification_kind::dead_letter_depth))
    if (config_.webhooks[i].dead_letter_depth_threshold == threshold)
      result.push_back(i);
  return result;
}

std::set<int64_t> notification_router::depth_thresholds() const {
  std::set<int64_t> result;
  for (auto i : targets(notification_kind::dead_letter_depth))
    result.insert(config_.webhooks[i].dead_letter_depth_threshold);
  return result;
}

bool notification_router::reserve(size_t hook) {
  if (pending_.at(hook) >= config_.webhooks.at(hook).queue_capacity)
    return false;
  ++pending_[hook];
  return true;
}

void notification_router::release(size_t hook) {
  if (pending_.at(hook) > 0)
    --pending_[hook];
}

int64_t notification_router::pending(size_t hook) const {
  return pending_.at(hook);
}

std::vector<notification_router::breaker_check>
notification_router::breaker_moved(const std::string& key, breaker_state to, time_point at) {
  if (to == breaker_state::closed)
    open_.erase(key);
  // Half-open probes belong to the episode; only a close ends it.
  if (to != breaker_state::open)
    return {};
  auto& current = open_.try_emplace(key, episode{at, {}}).first->second;
  std::vector<breaker_check> result;
  for (auto i : targets(notification_kind::breaker_open)) {
    if (current.told.count(i) > 0)
      continue;
    auto due = current.since + config_.webhooks[i].breaker_open_after;
    result.push_back({i, std::max(duration{0}, std::chrono::duration_cast<duration>(due - at))});
  }
  return result;
}

bool notification_router::breaker_due(const std::string& key, size_t hook, time_point now) {
  auto i = open_.find(key);
  if (i == open_.end() || i->second.told.count(hook) > 0)
    return false;
  if (now - i->second.since < config_.webhooks.at(hook).breaker_open_after)
    return false;
  i->second.told.insert(hook);
  return true;
}

std::optional<time_point> notification_router::open_since(const std::string& key) const {
  auto i = open_.find(key);
  if (i == open_.end())
    return std::nullopt;
  return i->second.since;
}

} // namespace herd
