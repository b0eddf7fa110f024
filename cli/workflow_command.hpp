#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace herd {

/// `herd workflow list|show|resume|cancel`: the workflow runs in a service's database.
///
/// Every subcommand takes `--db FILE` (default: herd.db) and `--json`. list (newest first,
/// `--status S`, `--limit N`, default 50) and show (each step's state, attempts, result excerpt
/// and times) open the file read-only, so they work while the service runs. resume (`--value
/// JSON`: the waiting step's result; `--note TEXT`) and cancel (`--note TEXT`: why) never change a
/// run themselves: they record a command in the database, which the running service's workflow
/// driver carries out within its poll interval (default 1 s), or the next service that starts
/// on the file. Times are ISO-8601 UTC in text and ms since the Unix epoch in JSON. Returns 0 on
/// success, 1 when the database or the run is not usable (unknown, ended), 2 on bad usage.
int run_workflow_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

} // namespace herd
