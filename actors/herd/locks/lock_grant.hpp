#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

#include "herd/core/time.hpp"

namespace herd {

/// A granted lock: which lock, its fencing token and when the lease ends.
struct lock_grant {
  /// The lock's name. Default: empty.
  std::string name;
  /// The fencing token of this grant: larger than every token granted before, for this lock and
  /// every other; pass it to downstream writes so a stale holder's writes can be refused.
  /// Default: 0 (no grant).
  uint64_t token = 0;
  /// When the lease ends unless renewed, on the lock manager's actor clock. Default: epoch.
  time_point expires;
};

/// Field-wise equality.
inline bool operator==(const lock_grant& x, const lock_grant& y) {
  return x.name == y.name && x.token == y.token && x.expires == y.expires;
}

/// Makes `lock_grant` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lock_grant& x) {
  return f(caf::meta::type_name("herd::lock_grant"), x.name, x.token, x.expires);
}

} // namespace herd
