#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herd::cli {

/// `herd config check FILE` (exit 0 if valid, 1 with the JSON path of the bad field otherwise)
/// and `herd config show [FILE]` (the effective configuration with every default).
int run_config_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd::cli
