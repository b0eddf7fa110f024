#include "workflow_command.hpp"

#include <iomanip>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/workflow/workflow_store.hpp"
#include "store_command.hpp"

namespace herd {

namespace {

using cli::count_of;
using cli::store_command;
using cli::usage_error;

constexpr const char* usage =
    "usage: herd workflow list   [--status S] [--limit N]\n"
    "       herd workflow show   RUN\n"
    "       herd workflow resume RUN [--value JSON] [--note TEXT]\n"
    "       herd workflow cancel RUN [--note TEXT]\n"
    "options: --db FILE (default: herd.db), --json\n"
    "S: running, waiting, completed, failed, escalated, cancelled\n"
    "resume and cancel are recorded in the database and carried out by the running service\n"
    "within its poll interval (or by the next one that starts on the file)\n";

const std::vector<std::string> subcommands = {"list", "show", "resume", "cancel"};

const std::set<std::string> known_options = {"status", "limit", "value", "note"};

int64_t finished_steps(const workflow_record& x) {
  int64_t n = 0;
  for (auto& s : x.steps)
    n += s.state != step_state::pending && s.state != step_state::running &&
         s.state != step_state::waiting;
  return n;
}

void print_table(std::ostream& out, const std::vector<workflow_record>& xs) {
  out << std::left << std::setw(24) << "RUN" << std::setw(16) << "WORKFLOW" << std::setw(11)
      << "STATUS" << std::setw(26) << "STARTED (UTC)" << std::setw(7) << "STEPS"
      << "FAILED STEP\n";
  for (auto& x : xs)
    out << std::setw(24) << x.id << std::setw(16) << x.workflow << std::setw(11)
        << to_string(x.status) << std::setw(26) << format_utc(x.created_ms) << std::setw(7)
        << (std::to_string(finished_steps(x)) + "/" + std::to_string(x.steps.size()))
        << (x.failed_step.empty() ? "-" : x.failed_step) << '\n';
  out << count_of(static_cast<int64_t>(xs.size()), "run") << '\n';
}

void print_run(std::ostream& out, const workflow_record& x) {
  out << "run        " << x.id << " (workflow " << x.workflow << ")\n"
      << "status     " << to_string(x.status) << '\n'
      << "started    " << format_utc(x.created_ms) << '\n'
      << "updated    " << format_utc(x.updated_ms) << '\n'
      << "ended      " << format_utc(x.ended_ms) << '\n';
  if (!x.failed_step.empty())
    out << "stopped at " << x.failed_step << '\n';
  if (!x.error.empty())
    out << "error      " << x.error << '\n';
  out << "usage      " << x.executions << " step executions, " << x.stored_bytes
      << " bytes stored\n"
      << "input      " << truncated(x.input, 100) << '\n'
      << "steps\n";
  out << "  " << std::left << std::setw(16) << "STEP" << std::setw(20) << "STATE" << std::setw(9)
      << "ATTEMPTS" << std::setw(26) << "STARTED (UTC)" << std::setw(26) << "ENDED (UTC)"
      << "RESULT\n";
  for (auto& s : x.steps) {
    auto detail = s.state == step_state::completed || s.state == step_state::compensated
                      ? truncated(s.result, 60)
                  : s.error.empty() ? std::string{"-"}
                                    : truncated(s.error, 60);
    out << "  " << std::setw(16) << s.name << std::setw(20) << to_string(s.state) << std::setw(9)
        << (std::to_string(s.attempts) +
            (s.runs > 1 ? " (" + std::to_string(s.runs) + " runs)" : std::string{}))
        << std::setw(26) << format_utc(s.started_ms) << std::setw(26) << format_utc(s.ended_ms)
        << detail << '\n';
  }
}

int list(workflow_store& store, const store_command& opts, std::ostream& out) {
  std::optional<workflow_status> status;
  if (opts.has("status")) {
    status = parse_workflow_status(opts.get("status"));
    if (!status)
      throw usage_error("--status expects running, waiting, completed, failed, escalated or "
                        "cancelled, got \"" +
                        opts.get("status") + "\"");
  }
  auto limit = opts.has("limit") ? opts.integer("limit", 1) : 50;
  auto runs = store.list(status, limit);
  if (opts.json())
    out << nlohmann::json(runs).dump(2) << '\n';
  else
    print_table(out, runs);
  return 0;
}

/// The run named by the one positional argument; none (with a message) if it is unknown.
std::optional<workflow_record> named(workflow_store& store, const store_command& opts,
                                     std::ostream& err) {
  auto& id = opts.only_positional("run id");
  auto x = store.load(id);
  if (!x)
    err << store.file() << ": no workflow run \"" << id << "\"\n";
  return x;
}

int show(workflow_store& store, const store_command& opts, std::ostream& out, std::ostream& err) {
  return show_record(opts, named(store, opts, err), out, print_run);
}

/// resume and cancel: a command row for the running service.
int request(workflow_store& store, const store_command& opts, std::ostream& out,
            std::ostream& err) {
  auto& command = opts.subcommand();
  if (command == "cancel" && opts.has("value"))
    throw usage_error("--value belongs to resume");
  auto value = opts.get("value", "null");
  auto parsed = nlohmann::json::parse(value, nullptr, false);
  if (parsed.is_discarded())
    throw usage_error("--value is not valid JSON: " + truncated(value, 80));
  auto x = named(store, opts, err);
  if (!x)
    return 1;
  if (is_terminal(x->status)) {
    err << store.file() << ": workflow run \"" << x->id << "\" has ended (" << to_string(x->status)
        << "); nothing was changed\n";
    return 1;
  }
  auto c = store.add_command(x->id, command, parsed.dump(), opts.get("note"), wall_now_ms());
  if (opts.json())
    out << nlohmann::json{{"id", c.id},      {"run", c.run_id}, {"command", c.command},
                          {"value", parsed}, {"note", c.note},  {"requested_ms", c.requested_ms}}
               .dump(2)
        << '\n';
  else
    out << command << " of " << x->id
        << " recorded: the running service carries it out within its poll interval\n";
  return 0;
}

} // namespace

int run_workflow_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  return cli::run_store_command("herd workflow", usage, args, out, err, [&] {
    store_command opts{args, subcommands, known_options};
    auto& command = opts.subcommand();
    bool writes = command == "resume" || command == "cancel";
    workflow_store store{opts.db(), writes ? workflow_store::open_mode::existing
                                           : workflow_store::open_mode::read_only};
    if (command == "list")
      return list(store, opts, out);
    if (command == "show")
      return show(store, opts, out, err);
    return request(store, opts, out, err);
  });
}

} // namespace herd
