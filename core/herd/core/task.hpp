#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/attempt_record.hpp"
#include "herd/core/tier_route.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// A unit of work for an agent. Its id is unique and doubles as the idempotency key: herd
/// completes a task id at most once.
struct task {
  /// Unique, non-empty, no control characters; a resubmit of a completed id gets its result.
  std::string id;
  /// The kind of work (e.g. "read_only", "payment"); selects the failure policy.
  std::string kind;
  /// The agent pool that runs it. Default: "default".
  std::string pool = "default";
  /// The downstream service it calls, empty if unknown (used by breakers and budgets).
  std::string service;
  /// The input, as JSON text (use `payload_json()` / `set_payload()`).
  std::string payload = "null";
  /// A key the downstream service uses to de-duplicate side effects; empty when the task has
  /// none (the `mutation` policy then refuses automatic retries).
  std::string idempotency_key;
  /// The attempt this delivery is, starting at 1.
  int32_t attempt = 1;
  /// How many times a dead-letter replay re-entered it.
  int32_t replays = 0;
  /// When herd first accepted it: on the actor clock in memory and in messages, on the wall clock
  /// (UTC since the Unix epoch) in stored records (dead letters, escalations; see `shift_times`).
  time_point created;
  /// Absolute deadline, on the same clock as `created`; the epoch (zero) means none.
  time_point deadline;
  /// Every failed attempt so far, oldest first.
  std::vector<attempt_record> history;
  /// Its place on its kind's fallback chain (set by herd); empty for a task without a chain.
  tier_route route;

  /// A task with an id, kind and JSON payload, for the given pool (default: "default") and
  /// downstream service (default: empty, unknown).
  static task make(std::string id, std::string kind, nlohmann::json payload = nullptr,
                   std::string pool = "default", std::string service = {});

  /// The payload parsed as JSON.
  nlohmann::json payload_json() const;
  /// Replaces the payload.
  void set_payload(const nlohmann::json& value);
  /// True if the task has a deadline.
  bool has_deadline() const { return deadline != time_point{}; }
  /// Moves every time of the task (created, deadline, each history entry) by `offset`, leaving
  /// unset ones (the epoch) alone: how a task passes between the actor clock and the wall clock.
  void shift_times(duration offset);
  /// The last failure, or a default failure when there is none.
  const failure& last_failure() const;
};

/// Field-wise equality.
bool operator==(const task& x, const task& y);

/// Makes `task` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task& x) {
  return f(caf::meta::type_name("herd::task"), x.id, x.kind, x.pool, x.service, x.payload,
           x.idempotency_key, x.attempt, x.replays, x.created, x.deadline, x.history, x.route);
}

/// JSON form with every field; the payload is embedded as JSON.
void to_json(nlohmann::json& j, const task& x);
/// Reads the JSON form; only "id" is required.
void from_json(const nlohmann::json& j, task& x);

} // namespace herd
