#include "herd/admission/admission_rate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace herd {

namespace {

constexpr double unlimited = std::numeric_limits<double>::infinity();

/// Decreases closer together than this belong to one episode of throttling, which keeps the
/// rate that worked before it began.
constexpr auto episode_gap = std::chrono::seconds(3);

double seconds_of(duration d) {
  return std::chrono::duration<double>(d).count();
}

} // namespace

admission_rate::admission_rate(const admission_policy& policy, time_point now)
    : policy_(policy), learned_(unlimited), refilled_(now), second_start_(now), started_(now) {
  tokens_ = std::isinf(rate()) ? 1 : bucket_size();
}

double admission_rate::ceiling() const {
  if (policy_.rate_per_s > 0)
    return policy_.rate_per_s;
  if (policy_.use_published && published_rate_ > 0)
    return published_rate_;
  return unlimited;
}

double admission_rate::rate() const {
  return std::min(ceiling(), learned_);
}

double admission_rate::bucket_size() const {
  if (policy_.burst > 0)
    return policy_.burst;
  return std::max(1.0, rate() / 10);
}

rate_source admission_rate::source(time_point now) const {
  if (now < paused_until_)
    return rate_source::published;
  if (learned_ < ceiling())
    return rate_source::learned;
  if (policy_.rate_per_s > 0)
    return rate_source::configured;
  if (std::isinf(ceiling()))
    return rate_source::unlimited;
  return rate_source::published;
}

void admission_rate::end_second() {
  if (!std::isinf(learned_) && policy_.learn && !decreased_this_second_) {
    // Under a known ceiling the step is a share of it too: from the floor back to the ceiling
    // takes at most 1 / increase_share seconds, however low the rate that worked was measured.
    auto base = std::isinf(ceiling()) ? good_rate_ : std::max(good_rate_, ceiling());
    auto step = policy_.increase_share * base;
    if (learned_ < good_rate_)
      learned_ = std::min(good_rate_, learned_ + std::max(step, (good_rate_ - learned_) / 2));
    else if (waited_this_second_)
      learned_ += step;
    if (learned_ >= ceiling() && !std::isinf(ceiling()))
      learned_ = ceiling();
  }
  admitted_last_second_ = admitted_this_second_;
  admitted_this_second_ = 0;
  waited_this_second_ = false;
  decreased_this_second_ = false;
}

void admission_rate::advance(time_point now) {
  const auto one_second = std::chrono::seconds(1);
  while (now - second_start_ >= one_second) {
    end_second();
    second_start_ += one_second;
    if (now - second_start_ >= 10 * one_second) // idle: no need to replay every second
      second_start_ = now - (now - second_start_) % one_second;
  }
  auto r = rate();
  if (std::isinf(r)) {
    tokens_ = 1;
  } else if (now > refilled_) {
    tokens_ = std::min(bucket_size(), tokens_ + seconds_of(now - refilled_) * r);
  }
  refilled_ = std::max(refilled_, now);
}

bool admission_rate::try_acquire(time_point now) {
  advance(now);
  if (now < paused_until_ || (!std::isinf(rate()) && tokens_ < 1)) {
    waited_this_second_ = true;
    return false;
  }
  if (!std::isinf(rate()))
    tokens_ -= 1;
  ++admitted_this_second_;
  return true;
}

time_point admission_rate::next_token(time_point now) {
  advance(now);
  if (now < paused_until_)
    return paused_until_;
  auto r = rate();
  if (std::isinf(r) || tokens_ >= 1)
    return now;
  auto wait = std::chrono::duration<double>((1 - tokens_) / r);
  return now + std::chrono::duration_cast<duration>(wait) + duration{1};
}

void admission_rate::on_throttle(time_point admitted, time_point now) {
  if (!policy_.learn || (decreased_ && admitted < last_decrease_))
    return;
  advance(now);
  auto current = rate();
  if (std::isinf(current)) // never limited: start from what was admitted in the last second
    current = static_cast<double>(std::max(admitted_last_second_, admitted_this_second_));
  current = std::max(current, policy_.min_rate_per_s);
  if (!decreased_ || now - last_decrease_ > episode_gap)
    good_rate_ = current;
  learned_ = std::max(policy_.min_rate_per_s, current * policy_.decrease_factor);
  tokens_ = std::min(tokens_, bucket_size());
  decreased_ = true;
  decreased_this_second_ = true;
  last_decrease_ = now;
}

bool admission_rate::cold(time_point now) const {
  return !answered_ && policy_.use_published && policy_.rate_per_s <= 0 &&
         now - started_ < cold_start;
}

void admission_rate::on_answer(const published_limit& limit, time_point now) {
  answered_ = true;
  if (!policy_.use_published || !limit.known())
    return;
  advance(now);
  if (limit.limit > 0)
    published_rate_ = limit.limit / seconds_of(policy_.published_window);
  if (limit.remaining >= 0 && limit.remaining < 1 && limit.reset > duration{0})
    paused_until_ = std::max(paused_until_, now + limit.reset);
  tokens_ = std::min(tokens_, bucket_size());
}

} // namespace herd
