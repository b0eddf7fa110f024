#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/retry/backoff_policy.hpp"

namespace herd {

/// The optimistic-concurrency experiment of the AWS Architecture Blog's "Exponential Backoff
/// and Jitter" (2015), as REFERENCES.md describes it: N clients start at t = 0 and each wants
/// one successful conditional write to one row. A client reads the row's version, then writes
/// conditionally on it; the write succeeds only if the version is unchanged (and increments
/// it). Every hop (read request, read reply, write request, write reply) takes
/// |Normal(10 ms, sd 2 ms)|, drawn per hop. On a failed write the client counts the failure and
/// sends its next read so that it arrives after one hop plus backoff(failures), base 5 ms, cap
/// 2000 ms. Strategies: none, exponential, full_jitter, equal_jitter, decorrelated_jitter, and
/// herd: herd's real `retry_scheduler` actor, run in virtual time by `occ_scheduler_harness`,
/// gets each failed write as a failed attempt (as the dispatcher hands it over) and decides
/// when the client goes again, with the policy and pacing a user would configure for the row
/// (`occ_scheduler_harness::policy()` and `settings()`); its release starts the client's next
/// read a hop later. A point is the mean over trials of the write calls and of the time at
/// which the last client succeeded.
class occ_experiment {
public:
  /// One point of the experiment.
  struct point {
    /// Clients contending.
    int32_t clients = 0;
    /// The strategy's name.
    std::string strategy;
    /// Mean write calls per trial.
    double mean_calls = 0;
    /// Mean time at which the last client succeeded, ms.
    double mean_time_ms = 0;
  };

  /// The outcome of one trial.
  struct trial {
    /// Write calls made.
    uint64_t calls = 0;
    /// When the last client succeeded, ms.
    double time_ms = 0;
    /// Retries the retry scheduler released (herd only; 0 for the classic strategies).
    uint64_t scheduler_releases = 0;
  };

  /// Called after each point.
  using progress_fn = std::function<void(const point&)>;

  /// The strategies, in report order.
  static const std::vector<std::string>& strategy_names();
  /// The backoff formula of a classic strategy (base 5 ms, cap 2000 ms, multiplier 2).
  static backoff_policy policy_of(const std::string& strategy);

  /// One trial of `strategy` with `clients`, seeded with `seed` (the same seed draws the same
  /// hops for every strategy until their paths part).
  static trial run_trial(const std::string& strategy, int32_t clients, uint64_t seed);
  /// Every strategy at every client count, `trials` trials each (seeds 1..trials).
  static std::vector<point> run(const std::vector<int32_t>& clients, int32_t trials,
                                const progress_fn& progress = {});
  /// `{"experiment": "aws-occ", "results": [{clients, strategy, mean_calls, mean_time_ms}...]}`.
  static nlohmann::ordered_json to_json(const std::vector<point>& points);
};

} // namespace herd
