#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herd::cli {

/// `herd demo`: a few dozen agents work through a few thousand tasks against a simulated
/// downstream service that fails at random and has an outage, in real time; prints progress and
/// a summary. Options: --agents N, --tasks N, --failure-rate X, --seed N, --db FILE (keep dead
/// letters there), --config FILE, --quiet.
int run_demo_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd::cli
