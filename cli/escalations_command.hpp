#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace herd {

/// Runs `herd escalations ARGS...` (the arguments after "escalations") on a dead-letter
/// database, which may belong to a running service:
///
///     list     [--status S] [--since TIME] [--until TIME]   escalations, oldest first
///     show     ID                                   one escalation with its task and history
///     resolve  ID --note TEXT                       closes an open escalation
///     amend    ID --payload JSON [--note TEXT]      resubmits it with a new payload
///     resubmit ID [--note TEXT]                     resubmits it as it is
///
/// Every subcommand takes `--db FILE` (default: herd.db) and `--json`. TIME is an age such as
/// 1h or 7d before now, or an ISO-8601 UTC time; times are ISO-8601 UTC in text and ms since the
/// Unix epoch in JSON. Reading subcommands open the database read-only. A decision appends
/// "<time> <status>: <note>" to the escalation's notes; amend and resubmit mark it
/// `resubmitting`, and the service's escalation queue sends it to the dispatcher within its poll
/// interval (default: 1 s). Returns 0 on success, 1 when the database or the escalation is not
/// usable (unknown, or no longer open), 2 on bad usage.
int run_escalations_command(const std::vector<std::string>& args, std::ostream& out,
                            std::ostream& err);

} // namespace herd
