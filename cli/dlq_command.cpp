#include "dlq_command.hpp"

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "store_command.hpp"

namespace herd {

namespace {

using cli::count_of;
using cli::store_command;
using cli::usage_error;

constexpr const char* usage =
    "usage: herd dlq list    [FILTERS] [--limit N]\n"
    "       herd dlq show    ID\n"
    "       herd dlq stats\n"
    "       herd dlq replay  [ID...] [FILTERS] [--rate PER_SECOND]\n"
    "       herd dlq replay  --cancel REQUEST\n"
    "       herd dlq resolve ID --note TEXT\n"
    "       herd dlq purge   [ID...] [FILTERS] [--older-than AGE] [--dry-run] | --all\n"
    "       herd dlq migrate\n"
    "options: --db FILE (default: herd.db), --json\n"
    "FILTERS: --kind K --reason R --service S --status S --text T --since TIME --until TIME\n"
    "AGE: 45s, 30m, 12h, 7d (at most 100 years); TIME: an AGE ago or ISO-8601 UTC "
    "(2026-11-30T18:00:00Z)\n";

const std::vector<std::string> subcommands = {"list",    "show",  "stats",  "replay",
                                              "resolve", "purge", "migrate"};

/// The options every subcommand accepts (besides --db and --json).
const std::set<std::string> known_options = {"kind", "reason", "service",    "status",
                                             "text", "since",  "until",      "limit",
                                             "rate", "note",   "older-than", "cancel"};

dead_letter_filter filter_of(const store_command& opts, int64_t now_ms) {
  dead_letter_filter f;
  f.kind = opts.get("kind");
  f.reason = opts.get("reason");
  if (!f.reason.empty() && !parse_dead_letter_reason(f.reason))
    throw usage_error("--reason expects exhausted, non_retryable, budget_exhausted, "
                      "escalation_timeout, poison, handed_back or overflow, got \"" +
                      f.reason + "\"");
  f.service = opts.get("service");
  f.status = opts.get("status");
  if (!f.status.empty() && !parse_dead_letter_status(f.status))
    throw usage_error("--status expects pending, replaying, replayed, resolved or poison, got \"" +
                      f.status + "\"");
  f.text = opts.get("text");
  f.since_ms = opts.time("since", now_ms);
  f.until_ms = opts.time("until", now_ms);
  if (opts.has("older-than")) {
    auto age = parse_age_ms(opts.get("older-than"));
    if (!age)
      throw usage_error("--older-than expects an age such as 7d, 12h, 30m or 45s (at most 100 "
                        "years), got \"" +
                        opts.get("older-than") + "\"");
    auto cutoff = now_ms - *age;
    f.until_ms = f.until_ms == 0 ? cutoff : std::min(f.until_ms, cutoff);
  }
  // 0 means no bound: a bound that falls on the epoch itself moves off it.
  if (opts.has("since") && f.since_ms == 0)
    f.since_ms = 1;
  if ((opts.has("until") || opts.has("older-than")) && f.until_ms == 0)
    f.until_ms = -1;
  f.ids = opts.positionals();
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
      << std::setw(10) << "STATUS" << std::setw(8) << "REPLAYS" << std::setw(25)
      << "DEAD-LETTERED (UTC)"
      << "LAST ERROR\n";
  for (auto& x : letters)
    out << std::setw(24) << x.work.id << std::setw(14) << x.work.kind << std::setw(19)
        << to_string(x.reason) << std::setw(10) << to_string(x.status) << std::setw(8)
        << x.work.replays << std::setw(25) << format_utc(x.dead_lettered_ms) << last_error(x)
        << '\n';
  out << count_of(static_cast<int64_t>(letters.size()), "dead letter") << '\n';
}

void print_letter(std::ostream& out, const dead_letter& x) {
  auto at = [](time_point t) { return format_utc(to_epoch_ms(t)); };
  out << "task          " << x.work.id << " (kind " << x.work.kind << ", pool " << x.work.pool
      << ", service " << (x.work.service.empty() ? "-" : x.work.service) << ")\n"
      << "reason        " << to_string(x.reason) << '\n'
      << "status        " << to_string(x.status) << '\n'
      << "replays       " << x.work.replays << '\n'
      << "agent         " << (x.agent.empty() ? "-" : x.agent) << '\n'
      << "payload       " << x.work.payload << '\n'
      << "created       " << at(x.work.created) << '\n'
      << "deadline      " << at(x.work.deadline) << '\n'
      << "first failure " << format_utc(x.first_failure_ms) << '\n'
      << "last failure  " << format_utc(x.last_failure_ms) << '\n'
      << "updated       " << format_utc(x.updated_ms) << '\n';
  if (!x.note.empty()) {
    out << "notes\n";
    std::istringstream lines{x.note};
    for (std::string line; std::getline(lines, line);)
      out << "  " << line << '\n';
  }
  out << "dead-lettered\n";
  for (auto& l : x.letterings)
    out << "  " << format_utc(l.at_ms) << ": " << to_string(l.reason) << " after attempt #"
        << l.last_attempt << " (replays " << l.replays << ")\n";
  out << "attempts\n";
  for (auto& a : x.work.history)
    out << "  #" << a.number << " at " << at(a.time) << " on " << (a.agent.empty() ? "-" : a.agent)
        << ": " << to_string(a.error) << '\n';
}

/// Reports rows that could not be read; returns the exit code: 1 if there were any.
int report_corrupt(const dead_letter_store& store, const std::vector<std::string>& corrupt,
                   std::ostream& err) {
  for (auto& problem : corrupt)
    err << "herd dlq: " << store.file() << ": " << problem << " (skipped)\n";
  return corrupt.empty() ? 0 : 1;
}

int list(dead_letter_store& store, const dead_letter_filter& filter, const store_command& opts,
         std::ostream& out, std::ostream& err) {
  std::vector<std::string> corrupt;
  auto letters = store.query(filter, corrupt);
  if (opts.json())
    out << nlohmann::json(letters).dump(2) << '\n';
  else
    print_table(out, letters);
  return report_corrupt(store, corrupt, err);
}

int show(dead_letter_store& store, const store_command& opts, std::ostream& out,
         std::ostream& err) {
  auto& id = opts.only_positional("task id");
  auto x = store.get(id);
  if (!x)
    err << store.file() << ": no dead letter of task \"" << id << "\"\n";
  return show_record(opts, x, out, print_letter);
}

int stats(dead_letter_store& store, const store_command& opts, std::ostream& out) {
  auto s = store.stats();
  auto requests = store.replay_requests();
  if (requests.size() > 10)
    requests.resize(10);
  if (opts.json()) {
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
        << " sent at " << r.rate << "/s, requested " << format_utc(r.requested_ms) << '\n';
  return 0;
}

int replay(dead_letter_store& store, dead_letter_filter f, const store_command& opts,
           std::ostream& out, std::ostream& err) {
  auto now = wall_now_ms();
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
    if (opts.json())
      out << nlohmann::json(*request).dump(2) << '\n';
    else
      out << "replay " << id << ": " << request->state << '\n';
    return 0;
  }
  if (is_empty(f))
    throw usage_error("replay expects task ids or filters (replaying everything must be said: "
                      "--status pending)");
  double rate = opts.number("rate", 10.0, 1e-9, 1e9);
  auto matching = store.count(f);
  auto replayable = store.count_replayable(f);
  auto request = store.add_replay_request(f, rate, "requested", now, replayable);
  if (opts.json()) {
    out << nlohmann::json{{"request", request}, {"matching", matching}}.dump(2) << '\n';
  } else {
    out << "replay request " << request.id << " recorded: " << matching << " matching letters, "
        << replayable << " to replay; the running service replays them at " << rate
        << "/s (see herd dlq stats)\n";
  }
  return 0;
}

int resolve(dead_letter_store& store, const store_command& opts, std::ostream& out,
            std::ostream& err) {
  auto& id = opts.only_positional("task id");
  if (!opts.has("note"))
    throw usage_error("resolve needs --note TEXT (what was done about it)");
  if (!store.resolve(id, opts.get("note"), wall_now_ms())) {
    err << store.file() << ": no dead letter of task \"" << id << "\"\n";
    return 1;
  }
  if (opts.json())
    out << nlohmann::json{{"resolved", id}}.dump() << '\n';
  else
    out << "resolved " << id << '\n';
  return 0;
}

int purge(dead_letter_store& store, const dead_letter_filter& f, const store_command& opts,
          std::ostream& out, std::ostream& err) {
  if (is_empty(f) && !opts.has("all"))
    throw usage_error("purge expects ids, filters, --older-than AGE, or --all");
  // What is deleted is what is shown: the letters listed now, by id.
  std::vector<std::string> corrupt;
  auto letters = store.query(f, corrupt);
  bool dry_run = opts.has("dry-run");
  int64_t removed = 0;
  if (!dry_run) {
    constexpr size_t chunk = 500;
    for (size_t i = 0; i < letters.size(); i += chunk) {
      dead_letter_filter ids;
      for (size_t k = i; k < std::min(letters.size(), i + chunk); ++k)
        ids.ids.push_back(letters[k].work.id);
      removed += store.purge(ids);
    }
  }
  if (opts.json()) {
    std::vector<std::string> ids;
    for (auto& x : letters)
      ids.push_back(x.work.id);
    out << nlohmann::json{{"selected", ids}, {"purged", removed}, {"dry_run", dry_run}}.dump()
        << '\n';
  } else {
    out << (dry_run ? "would purge " : "purging ")
        << count_of(static_cast<int64_t>(letters.size()), "dead letter")
        << (letters.empty() ? "" : ":") << '\n';
    for (auto& x : letters)
      out << "  " << x.work.id << " (" << to_string(x.status) << ", " << to_string(x.reason)
          << ", dead-lettered " << format_utc(x.dead_lettered_ms) << ")\n";
    if (!dry_run)
      out << "purged " << count_of(removed, "dead letter") << '\n';
  }
  return report_corrupt(store, corrupt, err);
}

int migrate(const store_command& opts, std::ostream& out) {
  auto before = dead_letter_store{opts.db(), dead_letter_store::open_mode::read_only, 0};
  auto from = before.schema_version();
  auto store = opts.open(true);
  if (opts.json())
    out << nlohmann::json{{"from", from}, {"to", store->schema_version()}}.dump() << '\n';
  else
    out << store->file() << ": schema version " << from << " -> " << store->schema_version()
        << '\n';
  return 0;
}

} // namespace

int run_dlq_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return cli::run_store_command("herd dlq", usage, args, out, err, [&] {
    store_command opts{args, subcommands, known_options, {"all", "dry-run"}};
    // Validate the arguments before touching the database.
    auto now = wall_now_ms();
    auto filter = filter_of(opts, now);
    auto& command = opts.subcommand();
    if (command == "migrate")
      return migrate(opts, out);
    bool writes = command == "replay" || command == "resolve" || command == "purge";
    auto store = opts.open(writes);
    if (command == "list")
      return list(*store, filter, opts, out, err);
    if (command == "show")
      return show(*store, opts, out, err);
    if (command == "stats")
      return stats(*store, opts, out);
    if (command == "replay")
      return replay(*store, filter, opts, out, err);
    if (command == "resolve")
      return resolve(*store, opts, out, err);
    return purge(*store, filter, opts, out, err);
  });
}

} // namespace herd
