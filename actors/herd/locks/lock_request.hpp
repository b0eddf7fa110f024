#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>

#include "herd/core/time.hpp"

namespace herd {

/// A request for a named lock (the `lock_acquire_atom` message).
struct lock_request {
  /// The lock's name, e.g. "account:42". Must not be empty.
  std::string name;
  /// The holder the lock manager monitors: when it dies its locks are released and its waits
  /// dropped; none = the sender. Default: none.
  caf::actor holder;
  /// The holder's name (an agent's name); an isolation of that agent by the health monitor
  /// releases its locks; empty = "actor:<id>". Default: empty.
  std::string holder_name;
  /// The lease: the lock is released this long after the grant unless renewed; 0 = the
  /// manager's default. Default: 0.
  duration lease{0};
  /// How long to wait in line for the lock; 0 = the manager's default. Default: 0.
  duration wait_timeout{0};
};

/// Makes `lock_request` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lock_request& x) {
  return f(caf::meta::type_name("herd::lock_request"), x.name, x.holder, x.holder_name, x.lease,
           x.wait_timeout);
}

} // namespace herd
