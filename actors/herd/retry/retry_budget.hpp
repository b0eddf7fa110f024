#pragma once

#include "herd/core/time.hpp"

namespace herd {

/// Caps the retries of one service to what its recent traffic allows: gRPC's retryThrottling
/// token bucket (a failure costs one token, a success refunds `token_ratio`; retries stop while
/// tokens <= max_tokens / 2) plus Finagle's floor (`min_retries_per_s` retries per second may
/// always go, so a service that reports no successes is still probed).
class retry_budget {
public:
  /// The budget's tunables.
  struct settings {
    /// Tokens in a full bucket; retries stop while tokens <= max_tokens / 2. Default: 100.
    double max_tokens = 100;
    /// Tokens a success refunds; retries stay free while failures stay under about
    /// `token_ratio` / (1 + `token_ratio`) of the calls (a third). Default: 0.5.
    double token_ratio = 0.5;
    /// Retries per second allowed even when the bucket is spent (also the size of that
    /// reserve); 0 = none, retries then wait for successes. Default: 10.
    double min_retries_per_s = 10;
  };

  /// A full budget at `now`.
  retry_budget(settings config, time_point now);

  /// A call to the service failed: costs one token.
  void on_failure();
  /// `count` calls to the service succeeded: refunds `count * token_ratio`. Default count: 1.
  void on_success(int32_t count = 1);
  /// Refills the bucket (the service proved healthy, e.g. its breaker closed).
  void refill() { tokens_ = config_.max_tokens; }

  /// True if a retry may go at `now`.
  bool allows(time_point now);
  /// Records a retry that went at `now` (it draws on the reserve once the bucket is spent).
  void spend(time_point now);
  /// When the next retry may go: `now` if allowed, else when the reserve has one again
  /// (`time_point::max()` when there is no reserve).
  time_point next_allowed(time_point now);

  /// The tokens in the bucket.
  double tokens() const { return tokens_; }
  /// True while the bucket alone allows retries (tokens > max_tokens / 2).
  bool above_threshold() const { return tokens_ > config_.max_tokens / 2; }

private:
  void top_up(time_point now);

  settings config_;
  double tokens_;
  double reserve_;
  time_point last_;
};

} // namespace herd
