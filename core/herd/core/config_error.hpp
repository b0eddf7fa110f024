#pragma once

#include <stdexcept>
#include <string>

namespace herd {

/// Invalid configuration: names the JSON path of the bad field and what was expected.
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
