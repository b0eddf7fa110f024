#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace herd::cli {

/// The usage text of `herd report`.
extern const char* const report_usage;

/// Runs `herd report --db FILE [--since DURATION|ISO-8601] [--json]` (the arguments after
/// "report"): the SLA report of the task history in the database (read-only; it may belong to
/// a running service) as a Markdown table, or JSON with `--json`. `--since` is an age before
/// now ("24h", "7d") or an ISO-8601 UTC time; default: everything kept. `now_ms` gives the
/// wall-clock time (default: the system clock). Returns 0 on success, 1 when the database is
/// not usable (missing, foreign, no history), 2 on bad usage.
int run_report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                       const std::function<int64_t()>& now_ms = {});

} // namespace herd::cli
