#include "herd/supervision/phi_accrual_detector.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace herd {

namespace {

double millis(duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

} // namespace

phi_accrual_detector::phi_accrual_detector(double threshold, size_t max_sample_size,
                                           duration min_std_deviation, duration acceptable_pause,
                                           duration first_estimate)
    : threshold_(threshold), max_sample_size_(max_sample_size),
      min_std_ms_(millis(min_std_deviation)), pause_ms_(millis(acceptable_pause)),
      first_ms_(millis(first_estimate)) {
  if (!(threshold_ > 0.0))
    throw std::invalid_argument("phi_accrual_detector: threshold must be > 0");
  if (max_sample_size_ < 1)
    throw std::invalid_argument("phi_accrual_detector: max_sample_size must be >= 1");
  if (!(min_std_ms_ > 0.0))
    throw std::invalid_argument("phi_accrual_detector: min_std_deviation must be > 0");
  if (pause_ms_ < 0.0 || !(first_ms_ > 0.0))
    throw std::invalid_argument("phi_accrual_detector: invalid pause or first estimate");
}

void phi_accrual_detector::heartbeat(time_point now) {
  if (!started_) {
    // Akka's seed: two samples around the first estimate, std deviation a quarter of it.
    add(first_ms_ - first_ms_ / 4);
    add(first_ms_ + first_ms_ / 4);
  } else if (now > last_ && phi(now) < threshold_) {
    add(millis(now - last_));
  }
  last_ = std::max(last_, now);
  started_ = true;
}

double phi_accrual_detector::phi(time_point now) const {
  if (!started_ || intervals_.empty())
    return 0.0;
  auto elapsed = now > last_ ? millis(now - last_) : 0.0;
  auto std_dev = std::max(std_deviation_ms(), min_std_ms_);
  return phi_of(elapsed, mean_ms() + pause_ms_, std_dev);
}

double phi_accrual_detector::mean_ms() const {
  return intervals_.empty() ? 0.0 : sum_ / static_cast<double>(intervals_.size());
}

double phi_accrual_detector::std_deviation_ms() const {
  if (intervals_.empty())
    return 0.0;
  auto n = static_cast<double>(intervals_.size());
  auto mean = sum_ / n;
  return std::sqrt(std::max(0.0, squares_ / n - mean * mean));
}

double phi_accrual_detector::phi_of(double elapsed_ms, double mean_ms, double std_dev_ms) {
  auto y = (elapsed_ms - mean_ms) / std_dev_ms;
  // 1 - F = Q(y) = erfc(y / sqrt 2) / 2; past y ~ 37 it underflows, so use the asymptotic
  // expansion log Q(y) ~ -y^2/2 - log(y sqrt(2 pi)) there.
  if (y < 37.0)
    return -std::log10(0.5 * std::erfc(y / std::sqrt(2.0)));
  constexpr double ln10 = 2.302585092994046;
  constexpr double sqrt_2pi = 2.5066282746310002;
  return (y * y / 2.0 + std::log(y * sqrt_2pi)) / ln10;
}

void phi_accrual_detector::add(double interval_ms) {
  intervals_.push_back(interval_ms);
  sum_ += interval_ms;
  squares_ += interval_ms * interval_ms;
  while (intervals_.size() > max_sample_size_) {
    auto old = intervals_.front();
    intervals_.pop_front();
    sum_ -= old;
    squares_ -= old * old;
  }
}

} // namespace herd
