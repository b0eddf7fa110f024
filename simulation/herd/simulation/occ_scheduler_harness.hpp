#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "herd/retry/failure_policy.hpp"
#include "herd/retry/retry_scheduler_config.hpp"

namespace herd {

/// herd's real `retry_scheduler` actor serving the `herd` clients of the AWS experiment
/// (`occ_experiment`), on CAF's test coordinator in virtual time. The harness plays the
/// dispatcher: each client is a task of kind "occ_write" for service "row"; a failed
/// conditional write is appended to the task's history as a `transient` failure with reason
/// "conflict" from "row" and handed to the scheduler as `(retry_atom, task)`, a success is
/// reported as `(observe_atom, "row", 1, 0)`, exactly as the dispatcher does. The scheduler's
/// `(resubmit_atom, task)` is the client's release: its next read starts then. The experiment's
/// time in ms is the virtual clock's time since the harness started.
class occ_scheduler_harness {
public:
  /// The task kind of the clients' writes: "occ_write".
  static const char* kind() { return "occ_write"; }
  /// The service of the clients' writes: "row".
  static const char* service() { return "row"; }
  /// The failure policy a user gives the kind: the `default` preset retrying until the write
  /// succeeds (max_attempts 1000000) with the experiment's full jitter (base 5 ms, cap 2 s).
  static failure_policy policy();
  /// The scheduler's settings a user gives for the row, seeded with `seed`: one retry at a time
  /// at 40/s (a write lands two hops, about 20 ms, after its read), conflicts not treated as an
  /// outage; in the runtime's config `"retry": {"pacing": {"initial_rate": 40, "max_rate": 40,
  /// "burst": 1}, "budget": {"min_retries_per_s": 40}}`, the rest at its defaults.
  static retry_scheduler_config settings(uint64_t seed);

  /// A scheduler with `settings(seed)` and `policy()` for `clients` clients, at virtual time 0.
  occ_scheduler_harness(int32_t clients, uint64_t seed);
  /// Stops the actors and their system.
  ~occ_scheduler_harness();
  occ_scheduler_harness(const occ_scheduler_harness&) = delete;
  occ_scheduler_harness& operator=(const occ_scheduler_harness&) = delete;

  /// Client `client`'s write failed at `at_ms` (not before the previous call's time): its
  /// attempt goes to the scheduler. Returns the clients the scheduler released at once.
  std::vector<int32_t> write_failed(int32_t client, double at_ms);
  /// A client's write succeeded at `at_ms`: the scheduler hears of the success. Returns the
  /// clients the scheduler released at once.
  std::vector<int32_t> write_succeeded(double at_ms);
  /// When the scheduler's next timer fires, ms; none while it has no timer.
  std::optional<double> next_timer_ms() const;
  /// Moves to the scheduler's next timer and fires it; returns the clients it released then.
  /// Each call throws `std::runtime_error` if the scheduler ended a client's task instead of
  /// retrying it.
  std::vector<int32_t> fire_next_timer();

  /// The retries the scheduler released so far.
  uint64_t releases() const { return releases_; }

private:
  struct actors;

  void advance_to(double at_ms);
  std::vector<int32_t> collect();

  std::unique_ptr<actors> actors_;
  uint64_t releases_ = 0;
};

} // namespace herd
