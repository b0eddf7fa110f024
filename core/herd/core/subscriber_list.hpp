#pragma once

#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

namespace herd {

/// The subscribers of an actor's events, each once. The owning actor monitors what `add`
/// accepts, demonitors what `remove` drops, and calls `drop` from its down handler.
class subscriber_list {
public:
  /// Adds `x`; false if it was already there.
  bool add(const caf::actor& x);
  /// Removes `x`; false if it was not there.
  bool remove(const caf::actor& x);
  /// Removes the subscriber at `addr` (it went down).
  void drop(const caf::actor_addr& addr);

  /// The subscribers, in the order they came.
  const std::vector<caf::actor>& all() const { return list_; }

private:
  std::vector<caf::actor> list_;
};

} // namespace herd
