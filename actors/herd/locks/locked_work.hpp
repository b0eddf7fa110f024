#pragma once

#include <functional>

#include <caf/event_based_actor.hpp>

#include "herd/core/outcome.hpp"
#include "herd/locks/lock_grant.hpp"
#include "herd/locks/lock_request.hpp"
#include "herd/locks/protocol.hpp"

namespace herd {

/// Acquire, work, release as one call, for an actor that holds a lock while it works
/// (`agent::with_lock` uses it).
///
/// `run` asks the lock manager for the lock; once granted it calls `work(grant, done)`, where
/// `grant.token` is the fencing token to pass to downstream writes. When the work calls `done`
/// (once; later calls are ignored) or throws, the lock is released and `then` gets the work's
/// outcome; an exception becomes an `unknown` failure. The lock's own failures reach `then` as
/// they are classified: a full wait queue (rate_limited), a wait that ran out (timeout), no lock
/// manager (unavailable) — the retry scheduler handles them like any other. A successful work
/// whose lock was lost before the release (its lease ran out, it was revoked) reports the
/// "lock_lost" timeout instead: another holder may have had the lock meanwhile.
class locked_work {
public:
  /// The work: receives the grant and must call `done` with its outcome exactly once.
  using work_fn = std::function<void(const lock_grant& grant, std::function<void(outcome)> done)>;

  /// Runs `work` on `self` under the lock `request` names, from `locks`; `then` gets the outcome.
  static void run(caf::event_based_actor* self, const lock_manager_actor& locks,
                  lock_request request, work_fn work, std::function<void(outcome)> then);
};

} // namespace herd
