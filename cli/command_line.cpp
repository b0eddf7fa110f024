#include "command_line.hpp"

#include <sstream>

#include "herd/core/config_error.hpp"
#include "herd/runtime/ops_endpoint_config.hpp"

namespace herd::cli {

command_line::command_line(const std::vector<std::string>& args,
                           const std::set<std::string>& flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    auto& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      positionals_.push_back(arg);
      continue;
    }
    auto name = arg.substr(2);
    if (auto eq = name.find('='); eq != std::string::npos) {
      options_[name.substr(0, eq)] = name.substr(eq + 1);
    } else if (flags.count(name) > 0) {
      options_[name] = "true";
    } else if (i + 1 < args.size()) {
      options_[name] = args[++i];
    } else {
      throw std::invalid_argument("option --" + name + " needs a value");
    }
  }
}

std::string command_line::get(const std::string& name, const std::string& fallback) const {
  auto i = options_.find(name);
  return i == options_.end() ? fallback : i->second;
}

namespace {

/// Parses all of `text` with `parse` (std::stoll or std::stod) and checks [min, max]; throws
/// std::invalid_argument naming `--name` and what it expects.
template <class T, class Parse>
T parse_in_range(const std::string& name, const std::string& text, T min, T max, Parse parse,
                 const char* what) {
  size_t used = 0;
  T value{};
  try {
    value = parse(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !(value >= min && value <= max)) {
    std::ostringstream expected;
    expected << "--" << name << " expects " << what << " in [" << min << ", " << max << "], got \""
             << text << "\"";
    throw std::invalid_argument(expected.str());
  }
  return value;
}

} // namespace

int64_t command_line::integer(const std::string& name, int64_t fallback, int64_t min,
                              int64_t max) const {
  if (!has(name))
    return fallback;
  auto parse = [](const std::string& x, size_t* used) -> int64_t { return std::stoll(x, used); };
  return parse_in_range<int64_t>(name, get(name), min, max, parse, "an integer");
}

double command_line::number(const std::string& name, double fallback, double min,
                            double max) const {
  if (!has(name))
    return fallback;
  auto parse = [](const std::string& x, size_t* used) { return std::stod(x, used); };
  return parse_in_range<double>(name, get(name), min, max, parse, "a number");
}

void command_line::only(const std::set<std::string>& known) const {
  for (auto& [name, _] : options_)
    if (known.count(name) == 0)
      throw std::invalid_argument("unknown option --" + name);
}

std::pair<std::string, uint16_t> command_line::host_port(const std::string& name) const {
  if (!has(name))
    throw std::invalid_argument("--" + name + " HOST:PORT is required");
  ops_endpoint_config address; // the same HOST:PORT reading as "http": {"listen"}
  address.listen = get(name);
  std::pair<std::string, uint16_t> result;
  try {
    result = {address.host(), address.port()};
  } catch (const config_error& e) {
    throw std::invalid_argument("--" + name + ": " + e.reason());
  }
  if (result.second == 0)
    throw std::invalid_argument("--" + name + ": the port cannot be 0");
  return result;
}

} // namespace herd::cli
