#pragma once

#include <caf/meta/type_name.hpp>

#include "herd/core/failure.hpp"
#include "herd/locks/lock_grant.hpp"

namespace herd {

/// The lock manager's answer to an acquire, renew, release or check: the grant (with its
/// expiry) or a classified failure. Failures carry a `reason`:
/// - "lock_queue_full" (rate_limited, retry_after = the holder's remaining lease): the lock's
///   wait queue is full;
/// - "lock_wait_timeout" (timeout): the wait in line ran out;
/// - "lock_lost" (timeout): the token is no longer the lock's (lease expired, holder released
///   or isolated, lock re-granted): the caller must stop using it;
/// - "lock_unknown_token", "lock_bad_request" (permanent);
/// - "lock_holder_gone", "lock_manager_stopped" (unavailable).
struct lock_reply {
  /// True if the operation succeeded; then `grant` says what is held. Default: false.
  bool ok = false;
  /// The grant (acquire, renew, check) or the grant just ended (release).
  lock_grant grant;
  /// Why it failed, when `ok` is false.
  failure error;

  /// A successful reply carrying `grant`.
  static lock_reply granted(lock_grant grant) {
    lock_reply result;
    result.ok = true;
    result.grant = std::move(grant);
    return result;
  }
  /// A failed reply.
  static lock_reply failed(failure why) {
    lock_reply result;
    result.error = std::move(why);
    return result;
  }
};

/// Makes `lock_reply` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lock_reply& x) {
  return f(caf::meta::type_name("herd::lock_reply"), x.ok, x.grant, x.error);
}

} // namespace herd
