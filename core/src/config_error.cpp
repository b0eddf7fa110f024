#include "herd/core/config_error.hpp"

namespace herd {

std::string truncated(std::string_view text, size_t max_chars) {
  static constexpr std::string_view ellipsis = "\u2026";
  if (text.size() <= max_chars)
    return std::string{text};
  auto keep = max_chars > ellipsis.size() ? max_chars - ellipsis.size() : 0;
  // Never cut inside a UTF-8 sequence: back off over continuation bytes (10xxxxxx).
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80)
    --keep;
  return std::string{text.substr(0, keep)} + std::string{ellipsis};
}

namespace {

std::string describe(const std::string& path, const std::string& reason) {
  return path.empty() ? reason : truncated(path, 200) + ": " + reason;
}

} // namespace

config_error::config_error(std::string path, std::string reason)
    : std::runtime_error(describe(path, reason)), path_(std::move(path)),
      reason_(std::move(reason)) {}

} // namespace herd
