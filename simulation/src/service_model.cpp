#include "herd/simulation/service_model.hpp"

#include <cmath>

namespace herd {

namespace {

// The standard normal's 99th percentile.
constexpr double z99 = 2.3263478740408408;

} // namespace

double service_model::sigma_for(double mean, double p99) {
  // mean = exp(mu + s^2/2), p99 = exp(mu + z99 s)  =>  s^2/2 - z99 s + ln(p99/mean) = 0.
  auto ratio = std::log(p99 / mean);
  auto root = z99 * z99 - 2 * ratio;
  return root <= 0 ? z99 : z99 - std::sqrt(root);
}

service_model::service_model(const scenario& config, uint64_t seed) : config_(&config), rng_(seed) {
  auto mean_s = config.latency_mean_ms / 1000.0;
  auto sigma = sigma_for(config.latency_mean_ms, config.latency_p99_ms);
  latency_ = std::lognormal_distribution<double>{std::log(mean_s) - sigma * sigma / 2, sigma};
}

double service_model::latency() {
  return latency_(rng_);
}

double service_model::capacity_at(double t_s) const {
  return config_->in_outage(t_s) ? 0.0 : config_->capacity_per_s;
}

service_answer service_model::call(double now_s) {
  service_answer answer;
  answer.latency_s = latency();
  if (config_->in_outage(now_s)) {
    answer.ok = false;
    answer.status = 503;
    answer.category = failure_category::unavailable;
    return answer;
  }
  auto second = static_cast<int64_t>(std::floor(now_s));
  if (second != second_) {
    second_ = second;
    served_ = 0;
  }
  if (served_ + 1 > config_->capacity_per_s) {
    answer.ok = false;
    answer.overloaded = true;
    answer.status = config_->overload_status;
    answer.category =
        answer.status == 429 ? failure_category::rate_limited : failure_category::unavailable;
    answer.retry_after_s = config_->overload_retry_after_s.value_or(0.0);
    return answer;
  }
  served_ += 1;
  if (config_->error_rate > 0 && coin_(rng_) < config_->error_rate) {
    answer.ok = false;
    answer.status = 500;
    answer.category = failure_category::transient;
  }
  return answer;
}

} // namespace herd
