#include "herd/supervision/memory_watchdog_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

memory_watchdog_config memory_watchdog_config::from_json(const json_reader& in) {
  in.only_keys(
      {"soft_limit_bytes", "hard_limit_bytes", "check_interval_ms", "release_interval_ms"});
  memory_watchdog_config r;
  r.soft_limit_bytes = static_cast<uint64_t>(in.integer("soft_limit_bytes", 0, 0));
  r.hard_limit_bytes = static_cast<uint64_t>(in.integer("hard_limit_bytes", 0, 0));
  if (r.soft_limit_bytes > 0 && r.hard_limit_bytes > 0 && r.hard_limit_bytes < r.soft_limit_bytes)
    in.fail("hard_limit_bytes", "an integer >= soft_limit_bytes (or 0: none)");
  r.check_interval = in.millis("check_interval_ms", r.check_interval);
  if (r.check_interval.count() == 0)
    in.fail("check_interval_ms", "a duration in milliseconds > 0");
  r.release_interval = in.millis("release_interval_ms", r.release_interval);
  return r;
}

nlohmann::json memory_watchdog_config::to_json() const {
  return {{"soft_limit_bytes", soft_limit_bytes},
          {"hard_limit_bytes", hard_limit_bytes},
          {"check_interval_ms", to_ms(check_interval)},
          {"release_interval_ms", to_ms(release_interval)}};
}

} // namespace herd
