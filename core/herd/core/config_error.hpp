#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace herd {

/// `text` cut to at most `max_chars` bytes (at a UTF-8 character boundary) ending in "…" when
/// longer: how error messages quote values and paths of unbounded size.
std::string truncated(std::string_view text, size_t max_chars = 60);

/// Invalid configuration: names the JSON path of the bad field and what was expected. The
/// message (`what()`) shows a path of any length cut to 200 bytes; `path()` keeps it whole.
class config_error : public std::runtime_error {
public:
  /// An error at `path` (a JSON pointer such as "/dispatcher/intake_capacity").
  config_error(std::string path, std::string reason);

  /// The JSON pointer of the bad field; "" for the document itself.
  const std::string& path() const noexcept { return path_; }
  /// What was wrong, without the path.
  const std::string& reason() const noexcept { return reason_; }

private:
  std::string path_;
  std::string reason_;
};

} // namespace herd
