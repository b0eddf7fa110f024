#pragma once

#include <cstddef>
#include <deque>

#include "herd/core/time.hpp"

namespace herd {

/// The phi accrual failure detector (Hayashibara et al. 2004; Akka Cluster, Cassandra).
///
/// `phi(t) = -log10(1 - F(t))`, where t is the time since the last heartbeat and F the normal
/// CDF with the mean of recent inter-heartbeat intervals plus `acceptable_pause` and their
/// standard deviation (at least `min_std_deviation`). Unlike Akka, which uses a logistic
/// approximation of F, this evaluates F exactly (`erfc`). As in Akka, the first heartbeat seeds
/// the history with `first_estimate` ± `first_estimate` / 4, and an interval that arrives while
/// phi is at or above the threshold is not added to the history (a long pause would skew it).
/// Pure logic, fed with actor-clock times.
class phi_accrual_detector {
public:
  /// Akka's defaults: threshold 8.0, max_sample_size 1000, min_std_deviation 100 ms,
  /// acceptable_pause 3 s, first_estimate 1 s (the expected heartbeat interval).
  explicit phi_accrual_detector(double threshold = 8.0, size_t max_sample_size = 1000,
                                duration min_std_deviation = from_ms(100),
                                duration acceptable_pause = from_ms(3000),
                                duration first_estimate = from_ms(1000));

  /// Records a heartbeat at `now`.
  void heartbeat(time_point now);
  /// True once a heartbeat was recorded.
  bool started() const { return started_; }
  /// The time of the last heartbeat (epoch if none).
  time_point last_heartbeat() const { return last_; }
  /// The suspicion level at `now`; 0 before the first heartbeat.
  double phi(time_point now) const;
  /// True if `phi(now)` is at or above the threshold.
  bool suspect(time_point now) const { return phi(now) >= threshold_; }
  /// The threshold. Default: 8.0.
  double threshold() const { return threshold_; }
  /// Mean of the recorded intervals in milliseconds (without the acceptable pause).
  double mean_ms() const;
  /// Standard deviation (population) of the recorded intervals in ms, before the minimum applies.
  double std_deviation_ms() const;
  /// Number of recorded intervals.
  size_t samples() const { return intervals_.size(); }

  /// `-log10(1 - F(elapsed_ms))` for a normal distribution with `mean_ms` and `std_dev_ms`.
  static double phi_of(double elapsed_ms, double mean_ms, double std_dev_ms);

private:
  void add(double interval_ms);

  double threshold_;
  size_t max_sample_size_;
  double min_std_ms_;
  double pause_ms_;
  double first_ms_;
  std::deque<double> intervals_;
  double sum_ = 0.0;
  double squares_ = 0.0;
  time_point last_;
  bool started_ = false;
};

} // namespace herd
