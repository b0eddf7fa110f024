#include "config_command.hpp"

#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace herd::cli {

namespace {

/// Throws if the dead-letter database named by `config` cannot be a database file (a
/// directory); what else is wrong with it (foreign, newer schema, not writable) shows when
/// the runtime opens it.
void check_dead_letter_db(const runtime_config& config) {
  if (!config.dead_letters)
    return;
  std::error_code ec;
  if (std::filesystem::is_directory(config.dead_letters->db, ec))
    throw config_error("/dead_letters/db",
                       "\"" + config.dead_letters->db + "\" is a directory, not a database file");
}

const char* usage = "usage: herd config check FILE\n       herd config show [FILE]\n";

} // namespace

int run_config_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (auto& arg : args)
    if (arg == "--help" || arg == "-h") {
      out << usage;
      return 0;
    }
  if (args.empty() || (args[0] != "check" && args[0] != "show") ||
      (args[0] == "check" && args.size() != 2) || args.size() > 2) {
    err << usage;
    return 2;
  }
  try {
    runtime_config config;
    if (args.size() == 2)
      config = runtime_config::load(args[1]);
    if (args[0] == "check") {
      check_dead_letter_db(config);
      out << args[1] << ": valid\n";
    } else
      out << config.to_json().dump(2) << '\n';
    return 0;
  } catch (const config_error& e) {
    err << args.back() << ": " << e.what() << '\n';
    return 1;
  }
}

} // namespace herd::cli
