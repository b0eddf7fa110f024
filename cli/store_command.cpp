#include "store_command.hpp"

#include <algorithm>
#include <limits>

#include "herd/core/wall_time.hpp"

namespace herd::cli {

store_command::store_command(const std::vector<std::string>& args,
                             const std::vector<std::string>& subcommands,
                             const std::set<std::string>& known, const std::set<std::string>& flags)
    : cmd_(args, [&flags] {
        auto all = flags;
        all.insert("json");
        return all;
      }()) {
  auto accepted = known;
  accepted.insert({"db", "json"});
  accepted.insert(flags.begin(), flags.end());
  cmd_.only(accepted);
  if (cmd_.positionals().empty())
    throw usage_error("missing subcommand");
  subcommand_ = cmd_.positionals()[0];
  if (std::find(subcommands.begin(), subcommands.end(), subcommand_) == subcommands.end())
    throw usage_error("unknown subcommand \"" + subcommand_ + "\"");
  positionals_.assign(cmd_.positionals().begin() + 1, cmd_.positionals().end());
}

const std::string& store_command::only_positional(const std::string& what) const {
  if (positionals_.size() != 1)
    throw usage_error(subcommand_ + " expects one " + what);
  return positionals_[0];
}

int64_t store_command::integer(const std::string& name, int64_t min) const {
  return cmd_.integer(name, min, min, std::numeric_limits<int64_t>::max());
}

int64_t store_command::time(const std::string& name, int64_t now_ms) const {
  if (!has(name))
    return 0;
  auto text = get(name);
  if (auto age = parse_age_ms(text))
    return now_ms - *age; // ages are at most 100 years: no overflow
  if (auto at = parse_utc(text))
    return *at;
  throw usage_error("--" + name +
                    " expects an age (45s, 30m, 1h, 7d; at most 100 years) or an ISO-8601 UTC "
                    "time (2026-11-30T18:00:00Z), got \"" +
                    text + "\"");
}

std::unique_ptr<dead_letter_store> store_command::open(bool writes) const {
  return std::make_unique<dead_letter_store>(db(), writes
                                                       ? dead_letter_store::open_mode::existing
                                                       : dead_letter_store::open_mode::read_only);
}

int run_store_command(const std::string& name, const std::string& usage,
                      const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      const std::function<int()>& body) {
  if (std::find_if(args.begin(), args.end(), [](auto& x) { return x == "--help" || x == "-h"; }) !=
      args.end()) {
    out << usage;
    return 0;
  }
  try {
    return body();
  } catch (const std::invalid_argument& e) {
    err << name << ": " << e.what() << '\n' << usage;
    return 2;
  } catch (const std::exception& e) {
    err << name << ": " << e.what() << '\n';
    return 1;
  }
}

std::string count_of(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

} // namespace herd::cli
