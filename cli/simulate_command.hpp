#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herd::cli {

/// `herd simulate SCENARIO.json [--json] [--out DIR] [--realtime] [--live] [--scale F]`: runs
/// every strategy of a thundering-herd scenario in virtual time (or, --live, in real time over
/// HTTP against an in-process mock-llm; --scale F sizes the scenario by F) and prints a summary
/// table (or, with --json, the report); --out DIR writes a CSV per strategy and PNG plots (gnuplot)
/// of the calls per second against the capacity and of the backlog. `herd simulate --aws-occ
/// [--clients 10,20,...]
/// [--trials 100] [--json] [--out DIR]`: the AWS backoff experiment. Progress goes to `err`.
int run_simulate_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

} // namespace herd::cli
