#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

namespace herd {

/// The load of one pool as the dispatcher sees it (`(pool_load_atom, pool) -> pool_load`): what
/// an autoscaler samples.
struct pool_load {
  /// The pool. Default: empty.
  std::string pool;
  /// Tasks waiting for an agent of the pool. Default: 0.
  uint64_t queued = 0;
  /// Tasks the pool's agents hold. Default: 0.
  uint64_t leased = 0;
  /// Agents that take leases (not isolated, not retiring). Default: 0.
  uint64_t agents = 0;
  /// Agents that hold at least one lease. Default: 0.
  uint64_t busy = 0;
};

/// Makes `pool_load` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_load& x) {
  return f(caf::meta::type_name("herd::pool_load"), x.pool, x.queued, x.leased, x.agents, x.busy);
}

} // namespace herd
