#include "dlq_command.hpp"

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"

namespace herd {

namespace {

constexpr const char* usage =
    "usage: herd dlq list    [FILTERS] [--limit N]\n"
    "       herd dlq show    ID\n"
    "       herd dlq stats\n"
    "       herd dlq replay  [ID...] [FILTERS] [--rate PER_SECOND]\n"
    "       herd dlq replay  --cancel REQUEST\n"
    "       herd dlq resolve ID --note TEXT\n"
    "       herd dlq purge   FILTERS | --older-than AGE (e.g. 7d, 12h, 30m) | --all\n"
    "options: --db FILE (default: herd.db), --json\n"
    "FILTERS: --kind K --reason R --service S --status S --text T --since MS --until MS\n";

/// A usage error: reported with the usage text, exit code 2 (as are command_line's errors).
struct usage_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// The options every subcommand accepts; `--json` and `--all` take no value.
const std::set<std::string> known_options = {"db",   "kind",  "reason",     "service", "status",
                                             "text", "since", "until",      "limit",   "rate",
                                             "note", "json",  "older-than", "cancel",  "all"};

/// The parsed command line: the subcommand and its positional arguments.
struct options {
  /// Parses `args`; throws std::invalid_argument for a usage error.
  explicit options(const std::vector<std::string>& args) : cmd(args, {"json", "all"}) {
    cmd.only(known_options);
    if (cmd.positionals().empty())
      throw usage_error("missing subcommand");
    command = cmd.positionals()[0];
    positional.assign(cmd.positionals().begin() + 1, cmd.positionals().end());
    json = cmd.has("json");
    all = cmd.has("all");
  }

  /// The value of `--name`, or `fallback`.
  std::string get(const std::string& name, std::string fallback = "") const {
    return cmd.get(name, fallback);
  }
  /// True if `--name` was given.
  bool has(const std::string& name) const { return cmd.has(name); }
  /// The value of `--name` as an integer >= `min` (`min` if absent).
  int64_t integer(const std::string& name, int64_t min) const {
    return cmd.integer(name, min, min, std::numeric_limits<int64_t>::max());
  }

  cli::command_line cmd;
  std::string command;
  std::vector<std::string> positional;
  bool json = false;
  bool all = false;
};

/// "7d", "12h", "30m", "45s", "500ms" in milliseconds.
int64_t to_age_ms(const std::string& text) {
  static const std::pair<const char*, int64_t> units[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  for (auto& [suffix, scale] : units) {
    std::string unit = suffix;
    if (text.size() > unit.size() &&
        text.compare(text.size() - unit.size(), unit.size(), unit) == 0 &&
        std::isdigit(static_cast<unsigned char>(text[text.size() - unit.size() - 1])))
      return cli::command_line({"--older-than", text.substr(0, text.size() - unit.size())})
                 .integer("older-than", 0, 0, std::numeric_limits<int64_t>::max() / scale) *
             scale;
  }
  throw usage_error("--older-than expects an age such as 7d, 12h, 30m or 45s, got \"" + text +
                    "\"");
}

dead_letter_filter filter_of(const options& opts) {
  dead_letter_filter f;
  f.kind = opts.get("kind");
  f.reason = opts.get("reason");
  if (!f.reason.empty() && !parse_dead_letter_reason(f.reason))
    throw usage_error("--reason expects exhausted, non_retryable, budget_exhausted, "
                      "escalation_timeout, poison or handed_back, got \"" +
                      f.reason + "\"");
  f.service = opts.get("service");
  f.status = opts.get("status");
  if (!f.status.empty() && !parse_dead_letter_status(f.status))
    throw usage_error("--status expects pending, replaying, replayed, resolved or poison, got \"" +
                      f.status + "\"");
  f.text = opts.get("text");
  if (opts.has("since"))
    f.since_ms = opts.integer("since", 0);
  if (opts.has("until"))
    f.until_ms = opts.integer("until", 0);
  if (opts.has("limit"))
    f.limit = opts.integer("limit", 1);
  return f;
}

bool is_empty(const dead_letter_filter& f) {
  return f == dead_letter_filter{};
}

std::string last_error(const dead_letter& x) {
  return x.work.history.empty() ? "" : to_string(x.work.history.back().error);
}

void print_table(std::ostream& out, const std::vector<dead_letter>& letters) {
  out << std::left << std::setw(24) << "ID" << std::setw(14) << "KIND" << std::setw(19) << "REASON"
      << std::setw(10) << "STATUS" << std::setw(8) << "REPLAYS"
      << "LAST ERROR\n";
  for (auto& x : letters)
    out << std::setw(24) << x.work.id << std::setw(14) << x.work.kind << std::setw(19)
        << to_string(x.reason) << std::setw(10) << to_string(x.status) << std::setw(8)
        << x.work.replays << last_error(x) << '\n';
  out << letters.size() << " dead letter" << (letters.size() == 1 ? "" : "s") << '\n';
}

void print_letter(std::ostream& out, const dead_letter& x) {
  out << "task      " << x.work.id << " (kind " << x.work.kind << ", pool " << x.work.pool
      << ", service " << (x.work.service.empty() ? "-" : x.work.service) << ")\n"
      << "reason    " << to_string(x.reason) << '\n'
      << "status    " << to_string(x.status) << '\n'
      << "replays   " << x.work.replays << '\n'
      << "agent     " << (x.agent.empty() ? "-" : x.agent) << '\n'
      << "payload   " << x.work.payload << '\n';
  if (!x.note.empty())
    out << "note      " << x.note << '\n';
  out << "attempts\n";
  for (auto& a : x.work.history)
    out << "  #" << a.number << " at " << to_epoch_ms(a.time) << " ms on "
        << (a.agent.empty() ? "-" : a.agent) << ": " << to_string(a.error) << '\n';
}

int list(dead_letter_store& store, const options& opts, std::ostream& out) {
  auto letters = store.query(filter_of(opts));
  if (opts.json)
    out << nlohmann::json(letters).dump(2) << '\n';
  else
    print_table(out, letters);
  return 0;
}

int show(dead_letter_store& store, const options& opts, std::ostream& out, std::ostream& err) {
  if (opts.positional.size() != 1)
    throw usage_error("show expects one task id");
  auto x = store.get(opts.positional[0]);
  if (!x) {
    err << store.file() << ": no dead letter of task \"" << opts.positional[0] << "\"\n";
    return 1;
  }
  if (opts.json)
    out << nlohmann::json(*x).dump(2) << '\n';
  else
    print_letter(out, *x);
  return 0;
}

int stats(dead_letter_store& store, const options& opts, std::ostream& out) {
  auto s = store.stats();
  auto requests = store.replay_requests();
  if (requests.size() > 10)
    requests.resize(10);
  if (opts.json) {
    nlohmann::json j = s;
    j["replays"] = requests;
    out << j.dump(2) << '\n';
    return 0;
  }
  out << "total " << s.total << ", waiting " << s.depth << '\n' << "by status:";
  for (auto& [status, n] : s.by_status)
    out << ' ' << status << '=' << n;
  out << "\nwaiting by reason:";
  for (auto& [reason, n] : s.by_reason)
    out << ' ' << reason << '=' << n;
  out << '\n';
  for (auto& r : requests)
    out << "replay " << r.id << ": " << r.state << ", " << r.sent << " of " << r.total
        << " sent at " << r.rate << "/s\n";
  return 0;
}

int replay(dead_letter_store& store, const options& opts, std::ostream& out, std::ostream& err) {
  auto now = dead_letter_store::wall_now_ms();
  if (opts.has("cancel")) {
    auto id = opts.integer("cancel", 1);
    auto request = store.replay_request_of(id);
    if (!request) {
      err << store.file() << ": no replay request " << id << '\n';
      return 1;
    }
    if (!request->finished()) {
      request->state = request->state == "requested" ? "cancelled" : "cancel";
      store.update_replay_request(*request, now);
    }
    if (opts.json)
      out << nlohmann::json(*request).dump(2) << '\n';
    else
      out << "replay " << id << ": " << request->state << '\n';
    return 0;
  }
  auto f = filter_of(opts);
  f.ids = opts.positional;
  if (is_empty(f))
    throw usage_error("replay expects task ids or filters (replaying everything must be said: "
                      "--status pending)");
  double rate = opts.cmd.number("rate", 10.0, 1e-9, 1e9);
  auto matching = store.count(f);
  auto request = store.add_replay_request(f, rate, "requested", now);
  if (opts.json) {
    out << nlohmann::json{{"request", request}, {"matching", matching}}.dump(2) << '\n';
  } else {
    out << "replay request " << request.id << " recorded: " << matching
        << " matching letters; the running service replays the pending ones at " << rate
        << "/s (see herd dlq stats)\n";
  }
  return 0;
}

int resolve(dead_letter_store& store, const options& opts, std::ostream& out, std::ostream& err) {
  if (opts.positional.size() != 1)
    throw usage_error("resolve expects one task id");
  if (!opts.has("note"))
    throw usage_error("resolve needs --note TEXT (what was done about it)");
  auto& id = opts.positional[0];
  if (!store.resolve(id, opts.get("note"), dead_letter_store::wall_now_ms())) {
    err << store.file() << ": no dead letter of task \"" << id << "\"\n";
    return 1;
  }
  if (opts.json)
    out << nlohmann::json{{"resolved", id}}.dump() << '\n';
  else
    out << "resolved " << id << '\n';
  return 0;
}

int purge(dead_letter_store& store, const options& opts, std::ostream& out) {
  auto f = filter_of(opts);
  f.ids = opts.positional;
  if (opts.has("older-than"))
    f.until_ms = dead_letter_store::wall_now_ms() - to_age_ms(opts.get("older-than"));
  if (is_empty(f) && !opts.all)
    throw usage_error("purge expects ids, filters, --older-than AGE, or --all");
  auto removed = store.purge(f);
  if (opts.json)
    out << nlohmann::json{{"purged", removed}}.dump() << '\n';
  else
    out << "purged " << removed << " dead letter" << (removed == 1 ? "" : "s") << '\n';
  return 0;
}

} // namespace

int run_dlq_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    options opts{args};
    static const std::vector<std::string> commands = {"list",   "show",    "stats",
                                                      "replay", "resolve", "purge"};
    if (std::find(commands.begin(), commands.end(), opts.command) == commands.end())
      throw usage_error("unknown subcommand \"" + opts.command + "\"");
    // Validate the arguments before touching the database.
    filter_of(opts);
    dead_letter_store store{opts.get("db", "herd.db"), dead_letter_store::open_mode::existing};
    if (opts.command == "list")
      return list(store, opts, out);
    if (opts.command == "show")
      return show(store, opts, out, err);
    if (opts.command == "stats")
      return stats(store, opts, out);
    if (opts.command == "replay")
      return replay(store, opts, out, err);
    if (opts.command == "resolve")
      return resolve(store, opts, out, err);
    return purge(store, opts, out);
  } catch (const std::invalid_argument& e) {
    err << "herd dlq: " << e.what() << '\n' << usage;
    return 2;
  } catch (const std::exception& e) {
    err << "herd dlq: " << e.what() << '\n';
    return 1;
  }
}

} // namespace herd
