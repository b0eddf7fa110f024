#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How the dispatcher queues, leases and remembers tasks.
struct dispatcher_config {
  /// Tasks waiting for an agent, across all pools; a submit beyond it is rejected. Default: 10000.
  int64_t intake_capacity = 10000;
  /// How long an agent may hold a task before it is taken back and re-queued. Default: 30 s.
  duration lease_timeout = from_ms(30000);
  /// Re-queues of one task (expired lease, dead or isolated agent) before it fails with a
  /// timeout instead, so a task that kills every agent ends. Default: 3.
  int32_t max_requeues = 3;
  /// Completed task ids remembered for idempotency (oldest forgotten first). Default: 100000.
  int64_t completed_capacity = 100000;
  /// Tasks one agent runs at once unless its pool says otherwise. Default: 1.
  int32_t default_concurrency = 1;
  /// The task kinds a submit may name (those with a failure policy); a submit of another kind
  /// is refused (`errc::unknown_kind`); empty = any kind. Not in the JSON form: the runtime sets
  /// it to the kinds of its `policies` unless its `fallback_policy` is set. Default: empty.
  std::vector<std::string> kinds;
  /// The task kinds with a fallback chain, each with the label of its chain's first tier. A
  /// submit of such a kind waits (like a task waiting for a retry) while the retry scheduler
  /// picks its tier; a success reports `served_by` (its tier) and `degraded` (not the first).
  /// Not in the JSON form: the runtime sets it from its `fallbacks`. Default: none.
  std::map<std::string, std::string> chains;

  /// Reads {"intake_capacity", "lease_timeout_ms", "max_requeues", "completed_capacity",
  /// "default_concurrency"}; absent keys keep their defaults.
  static dispatcher_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Makes `dispatcher_config` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dispatcher_config& x) {
  return f(caf::meta::type_name("herd::dispatcher_config"), x.intake_capacity, x.lease_timeout,
           x.max_requeues, x.completed_capacity, x.default_concurrency, x.kinds, x.chains);
}

} // namespace herd
