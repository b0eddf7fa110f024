#include "stop_roster.hpp"

#include <algorithm>

namespace herd {

void stop_roster::add(uint64_t id, std::string name) {
  if (!find(id))
    entries_.push_back({id, std::move(name)});
}

bool stop_roster::down(uint64_t id) {
  if (auto* e = find(id))
    e->down = true;
  return all_down();
}

bool stop_roster::all_down() const {
  return std::all_of(entries_.begin(), entries_.end(), [](const entry& e) { return e.down; });
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
  auto i =
      std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.id == id; });
  return i == entries_.end() ? nullptr : &*i;
}

} // namespace herd
