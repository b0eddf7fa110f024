#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "herd/supervision/memory_watchdog_config.hpp"

namespace herd {

/// How the process's resident memory stands against the watchdog's limits.
enum class memory_level : uint8_t {
  /// Below every limit.
  normal,
  /// Above the soft limit: an alert.
  soft,
  /// Above the hard limit: intake paused.
  hard,
};

/// The name of a level, e.g. "soft".
std::string to_string(memory_level x);

/// The memory watchdog's decision without an actor: fed with readings, it says when the level
/// changes. Above a limit means strictly more bytes than the limit; a limit of 0 is off.
class memory_pressure {
public:
  /// Levels by `config`'s limits, starting at normal.
  explicit memory_pressure(memory_watchdog_config config);
  /// Takes a reading of `resident_bytes`; the new level if it changed, else none.
  std::optional<memory_level> observe(uint64_t resident_bytes);
  /// The current level.
  memory_level level() const { return level_; }
  /// A sentence for operators about `resident_bytes` at the current level.
  std::string describe(uint64_t resident_bytes) const;

private:
  memory_watchdog_config config_;
  memory_level level_ = memory_level::normal;
};

} // namespace herd
