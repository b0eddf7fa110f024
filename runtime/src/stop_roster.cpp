#include "stop_roster.hpp"

namespace herd {

void stop_roster::add(uint64_t id, std::string name) {
  if (!index_.emplace(id, entries_.size()).second)
    return;
  entries_.push_back({id, std::move(name)});
  ++up_;
}

bool stop_roster::down(uint64_t id) {
  if (auto* e = find(id); e != nullptr && !e->down) {
    e->down = true;
    --up_;
  }
  return all_down();
}

std::vector<uint64_t> stop_roster::escalate() {
  std::vector<uint64_t> result;
  for (auto& e : entries_)
    if (!e.down && !e.killed) {
      e.killed = true;
      result.push_back(e.id);
    }
  return result;
}

std::vector<std::string> stop_roster::killed() const {
  std::vector<std::string> result;
  for (auto& e : entries_)
    if (e.killed)
      result.push_back(e.name);
  return result;
}

std::vector<std::string> stop_roster::still_running() const {
  std::vector<std::string> result;
  for (auto& e : entries_)
    if (!e.down)
      result.push_back(e.name);
  return result;
}

stop_roster::entry* stop_roster::find(uint64_t id) {
  auto i = index_.find(id);
  return i == index_.end() ? nullptr : &entries_[i->second];
}

} // namespace herd
