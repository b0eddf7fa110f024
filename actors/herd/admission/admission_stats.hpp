#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/admission/rate_source.hpp"

namespace herd {

/// What one service's admission control is doing and has done.
struct admission_stats {
  /// The service.
  std::string service;
  /// The current rate, calls per second; negative when unlimited.
  double rate_per_s = -1;
  /// Where the rate comes from. Default: unlimited.
  rate_source source = rate_source::unlimited;
  /// Calls waiting for admission now.
  int64_t queued = 0;
  /// Admitted calls the service has not answered yet.
  int64_t in_flight = 0;
  /// The concurrency limit; 0 without one.
  int64_t concurrency_limit = 0;
  /// Calls admitted so far.
  uint64_t admitted = 0;
  /// Calls that had to wait before admission.
  uint64_t waited = 0;
  /// Calls refused because the queue was full.
  uint64_t rejected_queue_full = 0;
  /// Calls refused after waiting `max_queue_wait`.
  uint64_t rejected_wait = 0;
  /// Calls whose task deadline passed while they waited.
  uint64_t rejected_deadline = 0;
  /// Calls refused because the service's breaker opened while they waited.
  uint64_t rejected_breaker_open = 0;
  /// Answers that throttled (429, 503, timeout).
  uint64_t throttled = 0;

  /// Every refusal.
  uint64_t rejected() const {
    return rejected_queue_full + rejected_wait + rejected_deadline + rejected_breaker_open;
  }
};

/// Makes `admission_stats` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, admission_stats& x) {
  return f(caf::meta::type_name("herd::admission_stats"), x.service, x.rate_per_s, x.source,
           x.queued, x.in_flight, x.concurrency_limit, x.admitted, x.waited, x.rejected_queue_full,
           x.rejected_wait, x.rejected_deadline, x.rejected_breaker_open, x.throttled);
}

/// JSON form: {"service", "rate_per_s" (null when unlimited), "source", "queued", "in_flight",
/// "concurrency_limit", "admitted", "waited", "rejected": {"queue_full", "wait", "deadline",
/// "breaker_open"}, "throttled"}.
void to_json(nlohmann::json& j, const admission_stats& x);

} // namespace herd
