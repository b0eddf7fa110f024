#include "config_command.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

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

/// Throws if the task journal's file (with durability "sync") is a directory; a journal in use,
/// foreign, corrupt or from a newer schema shows when the runtime opens it.
void check_journal_file(const runtime_config& config) {
  if (!config.journal.durable())
    return;
  std::error_code ec;
  auto file = config.journal_file();
  if (std::filesystem::is_directory(file, ec))
    throw config_error("/journal/file", "\"" + file + "\" is a directory, not a journal file");
}

const char* usage = "usage: herd config check FILE\n       herd config show [FILE]\n";
/// Lowercase, with '-' and ' ' as '_': "Read-Only" and "read_only" are the same name.
std::string normalized(const std::string& name) {
  std::string result;
  for (unsigned char c : name)
    result += (c == '-' || c == ' ') ? '_' : static_cast<char>(std::tolower(c));
  return result;
}

/// True if `x` and `y` differ but one edit (insert, delete, replace, swap of neighbours, case
/// or '-'/'_') turns one into the other.
bool one_edit_apart(const std::string& x, const std::string& y) {
  if (x == y)
    return false;
  auto a = normalized(x);
  auto b = normalized(y);
  if (a == b)
    return true;
  if (a.size() > b.size())
    std::swap(a, b);
  if (b.size() - a.size() > 1)
    return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i])
    ++i;
  if (a.size() < b.size())
    return a.compare(i, std::string::npos, b, i + 1, std::string::npos) == 0;
  if (a.compare(i + 1, std::string::npos, b, i + 1, std::string::npos) == 0)
    return true;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.compare(i + 2, std::string::npos, b, i + 2, std::string::npos) == 0;
}

/// Names of `config` that look misspelled: a policy one edit away from another policy or a
/// preset (tasks of the two kinds silently get different policies), a pool one edit away from
/// another pool or from "default" (the pool of a task that names none).
std::vector<std::string> misspelling_warnings(const runtime_config& config) {
  std::vector<std::string> result;
  const auto& presets = failure_policy::preset_names();
  auto described = [&](const std::string& name) {
    auto preset = std::find(presets.begin(), presets.end(), name) != presets.end();
    return "\"" + name + "\"" + (preset ? " (a preset)" : "");
  };
  for (auto i = config.policies.begin(); i != config.policies.end(); ++i)
    for (auto j = std::next(i); j != config.policies.end(); ++j)
      if (one_edit_apart(i->first, j->first))
        result.push_back("policy " + described(i->first) + " is one edit away from policy " +
                         described(j->first) +
                         ": a misspelled task kind gets the wrong policy; rename one if so");
  std::vector<std::string> pools{"default"};
  for (auto& entry : config.pools)
    if (entry.first != "default")
      pools.push_back(entry.first);
  for (size_t i = 0; i < pools.size(); ++i)
    for (size_t j = i + 1; j < pools.size(); ++j)
      if (one_edit_apart(pools[i], pools[j]))
        result.push_back("pool \"" + pools[j] + "\" is one edit away from pool \"" + pools[i] +
                         "\": a misspelled pool name configures no pool; rename it if so");
  return result;
}

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
      check_journal_file(config);
      out << args[1] << ": valid\n";
      for (auto& warning : misspelling_warnings(config))
        err << args[1] << ": warning: " << warning << '\n';
    } else
      out << config.to_json().dump(2) << '\n';
    return 0;
  } catch (const config_error& e) {
    err << args.back() << ": " << e.what() << '\n';
    return 1;
  }
}

} // namespace herd::cli
