#include "herd/core/subscriber_list.hpp"

#include <algorithm>

namespace herd {

bool subscriber_list::add(const caf::actor& x) {
  if (!x || std::find(list_.begin(), list_.end(), x) != list_.end())
    return false;
  list_.push_back(x);
  return true;
}

bool subscriber_list::remove(const caf::actor& x) {
  auto i = std::find(list_.begin(), list_.end(), x);
  if (i == list_.end())
    return false;
  list_.erase(i);
  return true;
}

void subscriber_list::drop(const caf::actor_addr& addr) {
  list_.erase(std::remove_if(list_.begin(), list_.end(),
                             [&](const caf::actor& x) { return x.address() == addr; }),
              list_.end());
}

} // namespace herd
