#include "command_line.hpp"

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

int64_t command_line::integer(const std::string& name, int64_t fallback, int64_t min,
                              int64_t max) const {
  if (!has(name))
    return fallback;
  auto text = get(name);
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || value < min || value > max)
    throw std::invalid_argument("--" + name + " expects an integer in [" + std::to_string(min) +
                                ", " + std::to_string(max) + "], got \"" + text + "\"");
  return value;
}

double command_line::number(const std::string& name, double fallback, double min,
                            double max) const {
  if (!has(name))
    return fallback;
  auto text = get(name);
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !(value >= min && value <= max))
    throw std::invalid_argument("--" + name + " expects a number in [" + std::to_string(min) +
                                ", " + std::to_string(max) + "], got \"" + text + "\"");
  return value;
}

void command_line::only(const std::set<std::string>& known) const {
  for (auto& [name, _] : options_)
    if (known.count(name) == 0)
      throw std::invalid_argument("unknown option --" + name);
}

} // namespace herd::cli
