#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/typed_event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_queue_config.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dead_letters/protocol.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Called for every new escalation, inside the escalation actor (keep it short).
using escalation_hook = std::function<void(const escalation&)>;

/// Tasks that need a person: stored durably in the dead-letter database, announced through a
/// C++ hook and a JSON line per escalation (`escalation_log`), resolved or edited and resubmitted
/// by a person, and sent to the dead-letter queue as `escalation_timeout` when nobody answers
/// within `escalation_timeout` (counted on the actor clock from the escalation, or from the
/// actor's start for escalations a previous run left open). Stored escalations hold wall-clock
/// UTC times (the task's too); a resubmitted or timed-out task goes back on the actor clock. A
/// resolve or amend appends "<time> <status>: <note>" to the notes (an audit trail); a task
/// escalated again keeps its escalation's notes (with a line saying so) and its history grows.
/// Every `poll_interval` it resubmits the escalations `herd escalations amend|resubmit` marked
/// `resubmitting` and stops waiting for those resolved from outside.
///
/// Protocol (atoms in herd/dead_letters/protocol.hpp and herd/core/atoms.hpp):
/// - `(escalate_atom, task, std::string reason) -> ok_atom` once it is durable; then the queue
///   settles the task with the dispatcher as `(settle_atom, outcome)`, status escalated and
///   `reason` in the outcome's error. When storing fails the error is replied and nothing is
///   settled: the sender decides the task's end.
/// - `(esc_query_atom, std::string status) -> std::vector<escalation>` ("" = all, oldest first).
/// - `(esc_resolve_atom, id, note) -> bool`: closes an open escalation.
/// - `(esc_amend_atom, id, payload_json, note) -> bool`: resubmits an open escalation to the
///   dispatcher as `(resubmit_atom, task)` with attempt 1 and, unless `payload_json` is "", the
///   new payload. Errors are `dead_letter_errc` codes: `invalid_request` (an unknown status,
///   a payload that is not valid JSON), `store_failed` (the database failed).
class escalation_queue : public escalation_queue_actor::base {
public:
  /// An escalation queue over `store` (its own connection: a store has one owner), timing out to
  /// `dead_letters`, resubmitting to `dispatcher` (both required: throws `std::invalid_argument`
  /// without one), calling `hook` (may be empty) for each new escalation, stamping records with
  /// `wall_clock`.
  escalation_queue(caf::actor_config& cfg, dead_letter_queue_config config,
                   std::unique_ptr<dead_letter_store> store, dead_letter_queue_actor dead_letters,
                   caf::actor dispatcher, std::shared_ptr<metrics_registry> metrics,
                   escalation_hook hook = {},
                   std::function<int64_t()> wall_clock = herd::wall_now_ms);

  const char* name() const override { return "herd.escalation_queue"; }

protected:
  behavior_type make_behavior() override;
  /// Lets go of its peers and its hook.
  void on_exit() override;

private:
  caf::result<caf::ok_atom> on_escalate(task& t, const std::string& reason);
  caf::result<bool> close(const std::string& id, escalation_status status,
                          const std::string& payload_json, const std::string& note);
  void on_expire(const std::string& id, uint64_t generation);
  void arm(const std::string& id);
  void announce(const escalation& x);
  task on_actor_clock(task t);
  void poll();
  void report_corrupt(const std::vector<std::string>& corrupt);
  void count_open();
  caf::error failed(const std::exception& e);

  dead_letter_queue_config config_;
  std::unique_ptr<dead_letter_store> store_;
  dead_letter_queue_actor dead_letters_;
  caf::actor dispatcher_;
  std::shared_ptr<metrics_registry> metrics_;
  escalation_hook hook_;
  std::function<int64_t()> wall_clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::ofstream log_file_;
  std::unordered_map<std::string, uint64_t> timers_;
  uint64_t generation_ = 0;

  counter* escalated_metric_;
  counter* timed_out_metric_;
  gauge* open_metric_;
};

} // namespace herd
