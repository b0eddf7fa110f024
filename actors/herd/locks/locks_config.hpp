#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// The lock manager's defaults (the runtime config's "locks" section).
///
/// JSON: {"lease_ms": 30000, "max_waiters": 64, "wait_timeout_ms": 10000}.
struct locks_config {
  /// The lease of a grant whose request names none. Default: 30 s.
  duration lease = from_ms(30000);
  /// Requests that may wait in line for one lock; one more is refused as rate_limited
  /// ("lock_queue_full"). Default: 64.
  uint32_t max_waiters = 64;
  /// How long a request waits in line when it names no wait; then it fails as timeout
  /// ("lock_wait_timeout"). Default: 10 s.
  duration wait_timeout = from_ms(10000);

  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field.
  static locks_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Makes `locks_config` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, locks_config& x) {
  return f(caf::meta::type_name("herd::locks_config"), x.lease, x.max_waiters, x.wait_timeout);
}

} // namespace herd
