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
///     purge   [ID...] [FILTERS] [--older-than AGE] [--dry-run] | --all
///                                             prints what it deletes, and how many
///     migrate                                 migrates an older database to this herd's schema
///
/// Every subcommand takes `--db FILE` (default: herd.db) and `--json`. FILTERS are `--kind`,
/// `--reason`, `--service`, `--status`, `--text`, `--since TIME`, `--until TIME` (TIME: an age
/// such as 1h or 7d before now, or an ISO-8601 UTC time); an age reaching before the epoch
/// selects nothing as an upper bound. Reading subcommands (list, show, stats) open the database
/// read-only and never migrate it. Times are ISO-8601 UTC in text and ms since the Unix epoch in
/// JSON. A replay only records a request in the database; the service's dead-letter queue picks
/// it up within its poll interval (default: 1 s). Writes output to `out`, errors to `err`;
/// returns 0 on success, 1 when the database or a letter is not usable (a list or purge that
/// skipped corrupt rows, after showing the others), 2 on bad usage.
int run_dlq_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd
