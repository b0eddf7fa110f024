#include "herd/breakers/breaker_machine.hpp"

#include <algorithm>

namespace herd {

breaker_machine::breaker_machine(breaker_policy policy, uint64_t seed)
    : policy_(std::move(policy)), window_(policy_), open_(policy_, seed) {}

breaker_permit breaker_machine::try_acquire(time_point now) {
  breaker_permit result;
  result.started = now;
  if (state_ == breaker_state::open && now >= open_until_)
    move_to(breaker_state::half_open, now);
  result.generation = generation_;
  switch (state_) {
  case breaker_state::closed:
  case breaker_state::disabled:
  case breaker_state::metrics_only:
    result.permitted = true;
    result.timeout = policy_.call_timeout;
    break;
  case breaker_state::half_open:
    if (probes_permitted_ < policy_.half_open_probes) {
      if (probes_permitted_++ == 0) // the verdict is due within max_half_open of the first probe
        half_open_until_ = now + policy_.max_half_open;
      result.permitted = true;
      result.probe = true;
      result.timeout = policy_.probe_timeout;
    } else {
      // Every probe is out; the breaker decides at the latest when they time out.
      result.retry_after = std::min(policy_.probe_timeout, half_open_until_ - now);
    }
    break;
  case breaker_state::open:
    result.retry_after = open_until_ - now;
    break;
  case breaker_state::forced_open:
    break;
  }
  return result;
}

bool breaker_machine::on_result(const breaker_permit& permit, time_point now, bool failed) {
  if (!permit.permitted || permit.generation != generation_)
    return false;
  bool slow = now - permit.started >= policy_.slow_call_duration;
  switch (state_) {
  case breaker_state::closed:
  case breaker_state::metrics_only:
    window_.record(now, failed, slow);
    consecutive_ = failed ? consecutive_ + 1 : 0;
    if (state_ == breaker_state::closed && should_trip(now))
      move_to(breaker_state::open, now);
    return true;
  case breaker_state::half_open:
    ++(failed ? probe_failures_ : probe_successes_);
    probe_slow_ += slow ? 1 : 0;
    judge_probes(now);
    return true;
  default:
    return false;
  }
}

void breaker_machine::on_timer(time_point now) {
  if (state_ == breaker_state::open && now >= open_until_)
    move_to(breaker_state::half_open, now);
  else if (state_ == breaker_state::half_open && probes_permitted_ > 0 && now >= half_open_until_)
    move_to(breaker_state::open, now);
}

time_point breaker_machine::next_deadline() const {
  if (state_ == breaker_state::open)
    return open_until_;
  if (state_ == breaker_state::half_open && probes_permitted_ > 0)
    return half_open_until_;
  return time_point::max();
}

void breaker_machine::transition_to(breaker_state to, time_point now) {
  if (to != state_)
    move_to(to, now);
}

void breaker_machine::reset(time_point now) {
  open_.reset();
  if (state_ == breaker_state::closed) {
    window_.clear();
    consecutive_ = 0;
  } else {
    move_to(breaker_state::closed, now);
  }
}

void breaker_machine::reconfigure(breaker_policy policy, time_point now) {
  policy_ = std::move(policy);
  window_ = outcome_window{policy_};
  consecutive_ = 0;
  open_.reconfigure(policy_);
  if (state_ == breaker_state::half_open) {
    if (probes_permitted_ > 0)
      half_open_until_ = std::min(half_open_until_, now + policy_.max_half_open);
    judge_probes(now);
  }
}

duration breaker_machine::until_probe(time_point now) const {
  return state_ == breaker_state::open ? std::max(open_until_ - now, duration{0}) : duration{0};
}

std::vector<breaker_transition> breaker_machine::take_transitions() {
  std::vector<breaker_transition> result;
  result.swap(transitions_);
  return result;
}

void breaker_machine::move_to(breaker_state to, time_point now) {
  breaker_transition event;
  event.from = state_;
  event.to = to;
  event.generation = ++generation_;
  event.at = now;
  state_ = to;
  switch (to) {
  case breaker_state::open:
    open_until_ = now + open_.next(now);
    event.until_probe = open_until_ - now;
    break;
  case breaker_state::half_open:
    probes_permitted_ = probe_successes_ = probe_failures_ = probe_slow_ = 0;
    break;
  case breaker_state::closed:
    open_.closed(now);
    [[fallthrough]];
  case breaker_state::metrics_only:
    window_.clear();
    consecutive_ = 0;
    break;
  case breaker_state::forced_open:
  case breaker_state::disabled:
    break;
  }
  transitions_.push_back(std::move(event));
}

bool breaker_machine::should_trip(time_point now) {
  if (policy_.consecutive_failures > 0 && consecutive_ >= policy_.consecutive_failures)
    return true;
  auto sum = window_.totals(now);
  if (sum.calls < static_cast<uint64_t>(policy_.min_calls))
    return false;
  return sum.failure_rate() >= policy_.failure_rate_threshold ||
         sum.slow_rate() >= policy_.slow_call_rate_threshold;
}

void breaker_machine::judge_probes(time_point now) {
  // Reopen as soon as the probes' failure (or slow) rate reaches the threshold whatever the
  // remaining probes bring; close once every probe has answered without that.
  double n = policy_.half_open_probes;
  if (probe_failures_ / n >= policy_.failure_rate_threshold ||
      probe_slow_ / n >= policy_.slow_call_rate_threshold)
    move_to(breaker_state::open, now);
  else if (probe_successes_ + probe_failures_ >= policy_.half_open_probes)
    move_to(breaker_state::closed, now);
}

} // namespace herd
