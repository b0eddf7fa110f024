#pragma once

#include <cstdint>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// The process-level memory watchdog (the `"memory"` section; see docs/pools.md): above the
/// soft limit an alert (event and metric), above the hard limit intake pauses (submits refused
/// with `errc::memory_pressure`) until the resident memory falls below it (both limits off by
/// default); and every `release_interval` the memory the allocator holds freed goes back to the
/// system.
///
/// JSON form: {"soft_limit_bytes": 0, "hard_limit_bytes": 0, "check_interval_ms": 1000,
/// "release_interval_ms": 60000}.
struct memory_watchdog_config {
  /// Resident bytes above which the watchdog raises an alert; 0 = none. Default: 0.
  uint64_t soft_limit_bytes = 0;
  /// Resident bytes above which intake pauses; 0 = none. Default: 0.
  uint64_t hard_limit_bytes = 0;
  /// How often the watchdog reads the resident memory. Default: 1 s.
  duration check_interval = from_ms(1000);
  /// How often the memory the allocator holds freed is given back to the system (glibc's
  /// `malloc_trim`: its arenas keep what a burst once took); 0 = never. Default: 60 s.
  duration release_interval = from_ms(60000);

  /// True if the watchdog has work: a limit, or releasing memory.
  bool enabled() const {
    return soft_limit_bytes > 0 || hard_limit_bytes > 0 || release_interval.count() > 0;
  }
  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field.
  static memory_watchdog_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
