#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace herd::cli {

/// The arguments of one subcommand: positionals and `--name value` / `--flag` options.
class command_line {
public:
  /// Parses `args`; `flags` names the options that take no value. Throws std::invalid_argument
  /// for an option missing its value.
  command_line(const std::vector<std::string>& args, const std::set<std::string>& flags = {});

  /// The positional arguments, in order.
  const std::vector<std::string>& positionals() const { return positionals_; }
  /// True if `--name` was given.
  bool has(const std::string& name) const { return options_.count(name) > 0; }
  /// The value of `--name`, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = "") const;
  /// The value of `--name` as an integer in [min, max], or `fallback`; throws
  /// std::invalid_argument naming the option otherwise.
  int64_t integer(const std::string& name, int64_t fallback, int64_t min, int64_t max) const;
  /// The value of `--name` as a number in [min, max], or `fallback`.
  double number(const std::string& name, double fallback, double min, double max) const;
  /// The value of `--name` as HOST:PORT (read as "http": {"listen"} is), e.g. a coordinator's
  /// node endpoint; throws std::invalid_argument naming the option when it is absent, malformed
  /// or has port 0.
  std::pair<std::string, uint16_t> host_port(const std::string& name) const;
  /// Throws std::invalid_argument if an option outside `known` was given.
  void only(const std::set<std::string>& known) const;

private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> options_;
};

} // namespace herd::cli
