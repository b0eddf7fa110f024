#include "herd/locks/locks_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

locks_config locks_config::from_json(const json_reader& in) {
  in.only_keys({"lease_ms", "max_waiters", "wait_timeout_ms"});
  locks_config result;
  result.lease = in.millis("lease_ms", result.lease);
  if (result.lease <= duration{0})
    in.fail("lease_ms", "a lease of at least 1 ms");
  result.max_waiters =
      static_cast<uint32_t>(in.integer("max_waiters", result.max_waiters, 0, 1000000));
  result.wait_timeout = in.millis("wait_timeout_ms", result.wait_timeout);
  return result;
}

nlohmann::json locks_config::to_json() const {
  return {{"lease_ms", to_ms(lease)},
          {"max_waiters", max_waiters},
          {"wait_timeout_ms", to_ms(wait_timeout)}};
}

} // namespace herd
