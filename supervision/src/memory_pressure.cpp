#include "herd/supervision/memory_pressure.hpp"

namespace herd {

namespace {

std::string mib(uint64_t bytes) {
  return std::to_string(bytes / (1024 * 1024)) + " MiB";
}

} // namespace

std::string to_string(memory_level x) {
  switch (x) {
  case memory_level::normal:
    return "normal";
  case memory_level::soft:
    return "soft";
  case memory_level::hard:
    return "hard";
  }
  return "unknown";
}

memory_pressure::memory_pressure(memory_watchdog_config config) : config_(std::move(config)) {
  // nop
}

std::optional<memory_level> memory_pressure::observe(uint64_t resident_bytes) {
  auto next = memory_level::normal;
  if (config_.hard_limit_bytes > 0 && resident_bytes > config_.hard_limit_bytes)
    next = memory_level::hard;
  else if (config_.soft_limit_bytes > 0 && resident_bytes > config_.soft_limit_bytes)
    next = memory_level::soft;
  if (next == level_)
    return std::nullopt;
  level_ = next;
  return next;
}

std::string memory_pressure::describe(uint64_t resident_bytes) const {
  switch (level_) {
  case memory_level::hard:
    return "resident memory " + mib(resident_bytes) + " (" + std::to_string(resident_bytes) +
           " bytes) is above the hard limit of " + mib(config_.hard_limit_bytes) +
           "; intake is paused until it falls below";
  case memory_level::soft:
    return "resident memory " + mib(resident_bytes) + " (" + std::to_string(resident_bytes) +
           " bytes) is above the soft limit of " + mib(config_.soft_limit_bytes);
  case memory_level::normal:
    break;
  }
  return "resident memory " + mib(resident_bytes) + " is below the limits";
}

} // namespace herd
