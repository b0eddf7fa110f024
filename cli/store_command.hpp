#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"

namespace herd::cli {

/// A usage error of a store command: reported with the usage text, exit code 2.
struct usage_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// The command line of a command over a service's dead-letter database (`herd dlq`,
/// `herd escalations`): `SUBCOMMAND [POSITIONALS] [--name value | --flag]...`, with `--db FILE`
/// (default: herd.db) and `--json` always accepted.
class store_command {
public:
  /// Parses `args`, accepting the `subcommands`, the options `known` and the `flags` (options
  /// without a value; "json" is one); throws `usage_error` otherwise.
  store_command(const std::vector<std::string>& args, const std::vector<std::string>& subcommands,
                const std::set<std::string>& known, const std::set<std::string>& flags = {});

  /// The subcommand, e.g. "list".
  const std::string& subcommand() const { return subcommand_; }
  /// The positional arguments after the subcommand.
  const std::vector<std::string>& positionals() const { return positionals_; }
  /// The one positional argument, e.g. a task id; throws `usage_error` ("show expects one
  /// task id" for `what` = "task id") unless there is exactly one.
  const std::string& only_positional(const std::string& what) const;
  /// True if `--json` was given. Default: false.
  bool json() const { return cmd_.has("json"); }
  /// True if `--name` was given.
  bool has(const std::string& name) const { return cmd_.has(name); }
  /// The value of `--name`, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = "") const {
    return cmd_.get(name, fallback);
  }
  /// The value of `--name` as an integer >= `min` (`min` if absent).
  int64_t integer(const std::string& name, int64_t min) const;
  /// The value of `--name` as a number in [min, max], or `fallback`.
  double number(const std::string& name, double fallback, double min, double max) const {
    return cmd_.number(name, fallback, min, max);
  }
  /// The value of `--name` as a wall-clock time (ms since the Unix epoch): an age such as "1h"
  /// or "7d" (that long before `now_ms`) or an ISO-8601 UTC time ("2026-11-30T18:00:00Z");
  /// 0 if absent. An age reaching before the epoch is negative (selects nothing as an upper
  /// bound, everything as a lower one).
  int64_t time(const std::string& name, int64_t now_ms) const;
  /// The database file of `--db`. Default: "herd.db".
  std::string db() const { return cmd_.get("db", "herd.db"); }
  /// Opens the database: read-only unless `writes` (then an older schema is migrated).
  std::unique_ptr<dead_letter_store> open(bool writes) const;

private:
  command_line cmd_;
  std::string subcommand_;
  std::vector<std::string> positionals_;
};

/// Runs `body` for the command `name` (e.g. "herd dlq") and turns what it throws into an exit
/// code: `usage_error` (and command_line's std::invalid_argument) prints `usage` and gives 2,
/// anything else (a database that is not usable) gives 1; `--help` or `-h` in `args` prints
/// `usage` to `out` and gives 0.
int run_store_command(const std::string& name, const std::string& usage,
                      const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      const std::function<int()>& body);

/// Shows a record a subcommand looked up: as indented JSON with `--json`, else with `print`. Gives
/// exit code 0, or 1 when there is no record (the lookup has said why).
template <class Record, class Print>
int show_record(const store_command& opts, const std::optional<Record>& record, std::ostream& out,
                Print print) {
  if (!record)
    return 1;
  if (opts.json())
    out << nlohmann::json(*record).dump(2) << '\n';
  else
    print(out, *record);
  return 0;
}

/// "<n> <noun>" with an "s" unless n is 1, e.g. "2 dead letters".
std::string count_of(int64_t n, const std::string& noun);

} // namespace herd::cli
