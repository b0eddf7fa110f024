#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace herd {

/// Runs `herd dlq ARGS...` (the arguments after "dlq") on a dead-letter database, which may
/// belong to a running service:
///
///     list    [FILTERS] [--limit N]           the letters, oldest first
///     show    ID                              one letter with its whole history
///     stats                                   counts by status and reason, recent replays
///     replay  [ID...] [FILTERS] [--rate N]    asks the running service to replay
///     replay  --cancel REQUEST                asks it to stop a replay
///     resolve ID --note TEXT                  closes a letter
///     purge   FILTERS | --older-than AGE | --all
///
/// Every subcommand takes `--db FILE` (default: herd.db) and `--json`. FILTERS are `--kind`,
/// `--reason`, `--service`, `--status`, `--text`, `--since MS`, `--until MS` (wall time, ms since
/// the Unix epoch). A replay only records a request in the database; the service's dead-letter
/// queue picks it up within its poll interval (default: 1 s). Writes output to `out`, errors to
/// `err`; returns 0 on success, 1 when the database or a letter is not usable, 2 on bad usage.
int run_dlq_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd
