#include "herd/dispatch/dispatcher_stats.hpp"

#include <nlohmann/json.hpp>

namespace herd {

nlohmann::json dispatcher_stats::to_json() const {
  return {{"accepted", accepted},
          {"reentered", reentered},
          {"rejected", rejected},
          {"duplicates", duplicates},
          {"completed", completed},
          {"failed", failed},
          {"dead_lettered", dead_lettered},
          {"escalated", escalated},
          {"handed_back", handed_back},
          {"queued", queued},
          {"leased", leased},
          {"waiting", waiting},
          {"requeued", requeued},
          {"leases_expired", leases_expired},
          {"stale_reports", stale_reports},
          {"agents", agents},
          {"isolated", isolated},
          {"intake_paused", intake_paused},
          {"pause_reason", pause_reason},
          {"draining", draining},
          {"balanced", balanced()}};
}

} // namespace herd
