#include "report_command.hpp"

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/history/history_store.hpp"
#include "herd/history/sla_report.hpp"
#include "store_command.hpp"

namespace herd::cli {

const char* const report_usage =
    "usage: herd report --db FILE [--since DURATION|ISO-8601] [--json]\n"
    "  The SLA report of the task history a runtime recorded in FILE (by default its dead-letter\n"
    "  database): per task kind and overall, the success rate after retries, p50/p95/p99\n"
    "  duration (accepted -> terminal state), escalation, dead-letter and retry rates, success\n"
    "  after retry; mean time to recovery of breakers (open -> closed) and agents (down ->\n"
    "  healthy). Markdown, or JSON with --json. Read-only: works while the service runs.\n"
    "  --since   only tasks settled since then: an age (45s, 30m, 24h, 7d) or an ISO-8601 UTC\n"
    "            time (2026-11-30T18:00:00Z); default: everything kept (30 days by default)\n";

int run_report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                       const std::function<int64_t()>& now_ms) {
  return run_store_command("herd report", report_usage, args, out, err, [&] {
    command_line cmd{args, {"json"}};
    cmd.only({"db", "since", "json"});
    if (!cmd.positionals().empty())
      throw usage_error("unexpected argument \"" + cmd.positionals().front() + "\"");
    if (!cmd.has("db"))
      throw usage_error("--db FILE is required");
    auto now = now_ms ? now_ms() : wall_now_ms();
    int64_t since = 0;
    if (cmd.has("since")) {
      auto parsed = sla_report::parse_since(cmd.get("since"), now);
      if (!parsed)
        throw usage_error("--since expects " + std::string{sla_report::since_formats()} +
                          ", got \"" + cmd.get("since") + "\"");
      since = *parsed;
    }
    history_store store{cmd.get("db"), history_store::open_mode::read_only};
    auto report = sla_report::of(store, since, now);
    if (cmd.has("json"))
      out << report.to_json().dump(2) << '\n';
    else
      out << report.to_markdown();
    return 0;
  });
}

} // namespace herd::cli
