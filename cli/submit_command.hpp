#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herd::cli {

/// The usage text of `herd submit`.
extern const char* const submit_usage;

/// `herd submit --connect HOST:PORT --kind KIND [--payload JSON] [--id ID] [--pool NAME]
/// [--service NAME] [--enqueue] [--timeout-ms N] [--json] [--config FILE] [--secret-env VAR]`:
/// submits one task to the coordinator at HOST:PORT from this process and prints its outcome
/// (or, with --enqueue, its id once accepted). Returns 0 for a successful outcome or an
/// acknowledgement, 1 for a failed outcome or an error (refused, unreachable, timeout, a
/// refusal of the dispatcher), 2 on bad usage.
int run_submit_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd::cli
