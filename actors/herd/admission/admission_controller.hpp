#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "herd/admission/admission_policy.hpp"
#include "herd/admission/admission_rate.hpp"
#include "herd/admission/admission_stats.hpp"
#include "herd/admission/concurrency_limit.hpp"
#include "herd/core/failure.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// One service's admission control, as plain logic: calls (by id) wait in a bounded queue, in
/// arrival order, until the rate (`admission_rate`) and the concurrency limit
/// (`concurrency_limit`) let them start; a full queue, a wait past `max_queue_wait` and a task
/// deadline that passes while waiting refuse a call with a classified failure whose reason
/// starts with "admission_" (so breakers do not count it against the service). The answers of
/// admitted calls teach it: throttles (429, 503, timeout) lower the learned rate, published
/// limits set or pause it, latencies steer an adaptive concurrency limit.
class admission_controller {
public:
  /// What one `pump` decided.
  struct decisions {
    /// Calls that start now, in arrival order.
    std::vector<uint64_t> admitted;
    /// Waiting calls refused now, with why.
    std::vector<std::pair<uint64_t, failure>> refused;
  };

  /// The admission of `service` under `policy`, starting at `now`.
  admission_controller(std::string service, const admission_policy& policy, time_point now);

  /// Call `id` (ids increase from call to call) arrives at `now` with its task's `deadline`
  /// (the epoch: none). Returns the failure refusing it at once (queue full, deadline passed);
  /// otherwise it waits, and `pump` says when it starts.
  std::optional<failure> offer(uint64_t id, time_point deadline, time_point now);
  /// Starts what may start at `now` and refuses what waited too long.
  decisions pump(time_point now);
  /// Refuses every waiting call with `why` (the service's breaker opened: they would only add
  /// to an outage); returns them.
  std::vector<std::pair<uint64_t, failure>> refuse_waiting(const failure& why);
  /// Admitted call `id` was answered with `result` at `now`.
  void on_finished(uint64_t id, const outcome& result, time_point now);
  /// When `pump` has something to do next; none while nothing waits (or only for a running
  /// call to finish).
  std::optional<time_point> next_wakeup(time_point now);

  /// The numbers so far, at `now`.
  admission_stats stats(time_point now) const;
  /// Calls waiting now.
  size_t queued() const { return queue_.size(); }
  /// Admitted calls not answered yet.
  int64_t in_flight() const { return static_cast<int64_t>(running_.size()); }

  /// True if `result` is the service throttling: rate_limited, timeout, or unavailable with a
  /// status code (a 503, not a refused connection: an unreachable service is its breaker's
  /// business), and not a refusal by admission control itself.
  static bool throttles(const outcome& result);

private:
  struct waiting_call {
    time_point arrived;
    time_point expires;
    bool by_deadline = false;
  };
  struct running_call {
    time_point admitted;
    int64_t in_flight_before = 0;
  };

  failure refusal(failure why) const;
  /// True if the concurrency limit (and a cold start) lets one more call run.
  bool may_start(time_point now) const;

  std::string service_;
  admission_policy policy_;
  admission_rate rate_;
  concurrency_limit concurrency_;
  std::map<uint64_t, waiting_call> queue_;
  std::multimap<time_point, uint64_t> expiries_;
  std::unordered_map<uint64_t, running_call> running_;
  admission_stats stats_;
};

} // namespace herd
