#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herd::cli {

/// The usage text of `herd worker`.
extern const char* const worker_usage;

/// `herd worker --connect HOST:PORT [--pool NAME] [--agents N] [--name NAME] [--config FILE]
/// [--secret-env VAR]`: hosts N built-in echo agents (`herd::echo_agent`) that join the pool
/// of the coordinator at HOST:PORT, prints "worker NAME registered with HOST:PORT: N agents in
/// pool P" once registered, reconnects with backoff and jitter when the coordinator goes away,
/// and runs until SIGINT or SIGTERM. Returns 0 after a clean stop, 1 when the coordinator
/// refuses it (wrong application id or secret) or the secret's variable is unset, 2 on bad
/// usage.
int run_worker_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd::cli
