#pragma once

#include <cstdint>
#include <random>

#include "herd/core/failure_category.hpp"
#include "herd/simulation/scenario.hpp"

namespace herd {

/// How the simulated service answers one call.
struct service_answer {
  /// True if the call succeeded.
  bool ok = true;
  /// The HTTP status: 200, 429 or 503 (overload), 503 (outage), 500 (background error).
  int32_t status = 200;
  /// The failure's category when not ok.
  failure_category category = failure_category::transient;
  /// True if the call was rejected for lack of capacity.
  bool overloaded = false;
  /// Seconds until the answer arrives.
  double latency_s = 0;
  /// Retry-After in seconds, 0 = none.
  double retry_after_s = 0;
};

/// The downstream service of a scenario, as pure logic (no CAF): serves `capacity_per_s` calls
/// per one-second window and rejects the rest as overloaded (429 or 503, optional Retry-After),
/// fails every call during an outage with 503 and a share `error_rate` of the others with 500;
/// answers after a lognormal latency with the scenario's mean and p99. Seeded: the same calls
/// at the same times get the same answers.
class service_model {
public:
  /// The service of `config`, drawing from a generator seeded with `seed`.
  service_model(const scenario& config, uint64_t seed);

  /// Answers a call that reaches the service `now_s` seconds after the start.
  service_answer call(double now_s);
  /// A latency draw, seconds.
  double latency();
  /// The capacity at `t_s`: 0 during an outage, else `capacity_per_s`.
  double capacity_at(double t_s) const;

  /// The lognormal's sigma for a mean and p99 (0 when equal).
  static double sigma_for(double mean, double p99);

private:
  const scenario* config_;
  std::mt19937_64 rng_;
  std::lognormal_distribution<double> latency_;
  std::uniform_real_distribution<double> coin_{0.0, 1.0};
  int64_t second_ = -1;
  double served_ = 0;
};

} // namespace herd
