#include "herd/core/config_error.hpp"

namespace herd {

namespace {

std::string describe(const std::string& path, const std::string& reason) {
  return path.empty() ? reason : path + ": " + reason;
}

} // namespace

config_error::config_error(std::string path, std::string reason)
    : std::runtime_error(describe(path, reason)), path_(std::move(path)),
      reason_(std::move(reason)) {}

} // namespace herd
