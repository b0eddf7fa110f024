#pragma once

#include <stdexcept>
#include <string>

namespace herd {

/// A database that cannot be used: missing, not a herd database, from a newer herd, corrupt, or
/// failing to write. The message names the file and the problem.
class store_error : public std::runtime_error {
public:
  /// An error with the database `file`: "<file>: <problem>".
  store_error(std::string file, std::string problem);

  /// The database file.
  const std::string& file() const noexcept { return file_; }
  /// What is wrong, without the file name.
  const std::string& problem() const noexcept { return problem_; }

private:
  std::string file_;
  std::string problem_;
};

} // namespace herd
