#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herd::cli {

/// The usage text of `herd nodes`.
extern const char* const nodes_usage;

/// `herd nodes --connect HOST:PORT [--json] [--config FILE]`: asks the coordinator's node
/// endpoint at HOST:PORT for its worker nodes and prints one line per node (name, pool,
/// connected or lost, agents, last contact in UTC) or, with --json, a JSON array. Returns 0, 1
/// when the endpoint cannot be reached or does not answer within the request timeout, 2 on
/// bad usage.
int run_nodes_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd::cli
