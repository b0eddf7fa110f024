#include "escalations_command.hpp"

#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "store_command.hpp"

namespace herd {

namespace {

using cli::count_of;
using cli::store_command;
using cli::usage_error;

constexpr const char* usage =
    "usage: herd escalations list     [--status S] [--since TIME] [--until TIME]\n"
    "       herd escalations show     ID\n"
    "       herd escalations resolve  ID --note TEXT\n"
    "       herd escalations amend    ID --payload JSON [--note TEXT]\n"
    "       herd escalations resubmit ID [--note TEXT]\n"
    "options: --db FILE (default: herd.db), --json\n"
    "S: open, resolved, resubmitted, timed_out, resubmitting\n"
    "TIME: an age ago (45s, 30m, 1h, 7d) or ISO-8601 UTC (2026-11-30T18:00:00Z)\n";

const std::vector<std::string> subcommands = {"list", "show", "resolve", "amend", "resubmit"};

const std::set<std::string> known_options = {"status", "since", "until", "note", "payload"};

void print_table(std::ostream& out, const std::vector<escalation>& xs) {
  out << std::left << std::setw(24) << "ID" << std::setw(14) << "KIND" << std::setw(14) << "STATUS"
      << std::setw(25) << "ESCALATED (UTC)"
      << "REASON\n";
  for (auto& x : xs)
    out << std::setw(24) << x.work.id << std::setw(14) << x.work.kind << std::setw(14)
        << to_string(x.status) << std::setw(25) << format_utc(x.escalated_ms) << x.reason << '\n';
  out << count_of(static_cast<int64_t>(xs.size()), "escalation") << '\n';
}

void print_escalation(std::ostream& out, const escalation& x) {
  auto at = [](time_point t) { return format_utc(to_epoch_ms(t)); };
  out << "task       " << x.work.id << " (kind " << x.work.kind << ", pool " << x.work.pool
      << ", service " << (x.work.service.empty() ? "-" : x.work.service) << ")\n"
      << "reason     " << x.reason << '\n'
      << "status     " << to_string(x.status) << '\n'
      << "escalated  " << format_utc(x.escalated_ms) << '\n'
      << "updated    " << format_utc(x.updated_ms) << '\n'
      << "created    " << at(x.work.created) << '\n'
      << "deadline   " << at(x.work.deadline) << '\n'
      << "payload    " << x.work.payload << '\n';
  if (!x.note.empty()) {
    out << "notes\n";
    std::istringstream lines{x.note};
    for (std::string line; std::getline(lines, line);)
      out << "  " << line << '\n';
  }
  out << "attempts\n";
  for (auto& a : x.work.history)
    out << "  #" << a.number << " at " << at(a.time) << " on " << (a.agent.empty() ? "-" : a.agent)
        << ": " << to_string(a.error) << '\n';
}

int list(dead_letter_store& store, const store_command& opts, std::ostream& out,
         std::ostream& err) {
  std::optional<escalation_status> status;
  if (opts.has("status")) {
    status = parse_escalation_status(opts.get("status"));
    if (!status)
      throw usage_error("--status expects open, resolved, resubmitted, timed_out or "
                        "resubmitting, got \"" +
                        opts.get("status") + "\"");
  }
  auto now = wall_now_ms();
  auto since = opts.time("since", now);
  auto until = opts.time("until", now);
  std::vector<escalation> selected;
  std::vector<std::string> corrupt;
  for (auto& x : store.escalations(status, corrupt))
    if ((!opts.has("since") || x.escalated_ms >= since) &&
        (!opts.has("until") || x.escalated_ms < until))
      selected.push_back(std::move(x));
  if (opts.json())
    out << nlohmann::json(selected).dump(2) << '\n';
  else
    print_table(out, selected);
  for (auto& problem : corrupt)
    err << "herd escalations: " << store.file() << ": " << problem << " (skipped)\n";
  return corrupt.empty() ? 0 : 1;
}

/// The escalation named by the one positional argument; throws `usage_error` without one.
std::optional<escalation> named(dead_letter_store& store, const store_command& opts,
                                std::ostream& err) {
  auto& id = opts.only_positional("task id");
  auto x = store.get_escalation(id);
  if (!x)
    err << store.file() << ": no escalation of task \"" << id << "\"\n";
  return x;
}

int show(dead_letter_store& store, const store_command& opts, std::ostream& out,
         std::ostream& err) {
  return show_record(opts, named(store, opts, err), out, print_escalation);
}

/// resolve, amend and resubmit: a decision on an open escalation, recorded in the database.
int decide(dead_letter_store& store, const store_command& opts, std::ostream& out,
           std::ostream& err) {
  auto& command = opts.subcommand();
  if (command == "resolve" && !opts.has("note"))
    throw usage_error("resolve needs --note TEXT (what was decided)");
  if (command == "amend" && !opts.has("payload"))
    throw usage_error("amend needs --payload JSON (the task's new input)");
  if (command != "amend" && opts.has("payload"))
    throw usage_error("--payload belongs to amend");
  nlohmann::json payload;
  if (opts.has("payload")) {
    payload = nlohmann::json::parse(opts.get("payload"), nullptr, false);
    if (payload.is_discarded())
      throw usage_error("--payload is not valid JSON: " + opts.get("payload").substr(0, 80));
  }
  auto x = named(store, opts, err);
  if (!x)
    return 1;
  if (x->status != escalation_status::open) {
    err << store.file() << ": the escalation of task \"" << x->work.id << "\" is "
        << to_string(x->status) << ", not open; nothing was changed\n";
    return 1;
  }
  auto status =
      command == "resolve" ? escalation_status::resolved : escalation_status::resubmitting;
  if (command == "amend")
    x->work.set_payload(payload);
  if (status == escalation_status::resubmitting)
    x->work.attempt = 1;
  x->status = status;
  x->updated_ms = wall_now_ms();
  auto entry = command == "resolve" ? "resolved" : command == "amend" ? "amended" : "resubmitted";
  x->note = append_note(x->note, x->updated_ms, std::string{entry} + ": " + opts.get("note"));
  store.put_escalation(*x);
  if (opts.json())
    out << nlohmann::json(*x).dump(2) << '\n';
  else if (status == escalation_status::resolved)
    out << "resolved " << x->work.id << '\n';
  else
    out << entry << ' ' << x->work.id
        << ": the running service sends it to the dispatcher within its poll interval\n";
  return 0;
}

} // namespace

int run_escalations_command(const std::vector<std::string>& args, std::ostream& out,
                            std::ostream& err) {
  return cli::run_store_command("herd escalations", usage, args, out, err, [&] {
    store_command opts{args, subcommands, known_options};
    auto& command = opts.subcommand();
    bool writes = command != "list" && command != "show";
    auto store = opts.open(writes);
    if (command == "list")
      return list(*store, opts, out, err);
    if (command == "show")
      return show(*store, opts, out, err);
    return decide(*store, opts, out, err);
  });
}

} // namespace herd
