#include "herd/core/logging.hpp"

#include <mutex>
#include <stdexcept>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace herd {

namespace {

std::mutex logging_mutex;
spdlog::level::level_enum current_level = spdlog::level::info;

} // namespace

std::shared_ptr<spdlog::logger> component_logger(const std::string& component) {
  auto name = "herd." + component;
  std::lock_guard<std::mutex> guard{logging_mutex};
  if (auto existing = spdlog::get(name))
    return existing;
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_level(current_level);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
  return logger;
}

void set_log_level(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    throw std::invalid_argument("unknown log level: " + level);
  std::lock_guard<std::mutex> guard{logging_mutex};
  current_level = parsed;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    if (logger->name().rfind("herd.", 0) == 0)
      logger->set_level(parsed);
  });
}

} // namespace herd
