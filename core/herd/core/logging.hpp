#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace herd {

/// The logger of a component, named "herd.<component>", writing to stderr; created on first use
/// at the level last given to `set_log_level` (default: info).
std::shared_ptr<spdlog::logger> component_logger(const std::string& component);

/// Sets the level of every herd logger, now and later: trace, debug, info, warn, error,
/// critical or off. Throws `std::invalid_argument` for other names.
void set_log_level(const std::string& level);

} // namespace herd
