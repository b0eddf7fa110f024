#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace herd {

/// The actors a shutdown stops, and which of them are down: each is asked to stop; those still
/// up after the stop time are killed (`escalate`); those still up after another stop time are
/// reported as still running (a handler that never returns cannot be stopped). Keyed by actor
/// id, so it runs without an actor system.
class stop_roster {
public:
  /// Expects actor `id`, called `name` in reports, to stop; adding an id again changes nothing.
  void add(uint64_t id, std::string name);
  /// Notes that actor `id` is down; returns true once every expected actor is down.
  bool down(uint64_t id);
  /// True once every expected actor is down (also when none is expected).
  bool all_down() const { return up_ == 0; }
  /// The ids of the actors still up, now marked killed: the caller kills them.
  std::vector<uint64_t> escalate();
  /// The names of the actors `escalate` marked killed, in the order they were added.
  std::vector<std::string> killed() const;
  /// The names of the actors still up, in the order they were added.
  std::vector<std::string> still_running() const;
  /// How many actors it expects.
  size_t size() const { return entries_.size(); }

private:
  struct entry {
    uint64_t id = 0;
    std::string name;
    bool down = false;
    bool killed = false;
  };

  entry* find(uint64_t id);

  std::vector<entry> entries_;                 // in the order they were added
  std::unordered_map<uint64_t, size_t> index_; // id -> its entry: O(1) per add and down
  size_t up_ = 0;                              // entries not down yet
};

} // namespace herd
