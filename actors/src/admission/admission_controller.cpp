#include "herd/admission/admission_controller.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace herd {

admission_controller::admission_controller(std::string service, const admission_policy& policy,
                                           time_point now)
    : service_(std::move(service)), policy_(policy), rate_(policy, now), concurrency_(policy) {
  stats_.service = service_;
}

bool admission_controller::throttles(const outcome& result) {
  if (result.ok() || result.error.refused_locally())
    return false;
  auto c = result.error.category;
  return c == failure_category::rate_limited || c == failure_category::timeout ||
         (c == failure_category::unavailable && result.error.status_code != 0);
}

failure admission_controller::refusal(failure why) const {
  why.from(service_);
  return why;
}

std::optional<failure> admission_controller::offer(uint64_t id, time_point deadline,
                                                   time_point now) {
  auto has_deadline = deadline != time_point{};
  if (has_deadline && deadline <= now) {
    ++stats_.rejected_deadline;
    return refusal(failure::timeout("the task's deadline passed before the call to " + service_)
                       .because("admission_deadline"));
  }
  if (static_cast<int64_t>(queue_.size()) >= policy_.queue_limit) {
    ++stats_.rejected_queue_full;
    auto rate = rate_.rate();
    auto drain = std::isinf(rate) || rate <= 0
                     ? std::chrono::seconds(1)
                     : std::chrono::duration_cast<duration>(
                           std::chrono::duration<double>(queue_.size() / rate));
    return refusal(failure::rate_limited("admission queue of " + service_ + " is full (" +
                                             std::to_string(queue_.size()) + " calls wait)",
                                         drain)
                       .because("admission_queue_full"));
  }
  waiting_call call{now, now + policy_.max_queue_wait, false};
  if (has_deadline && deadline < call.expires) {
    call.expires = deadline;
    call.by_deadline = true;
  }
  queue_.emplace(id, call);
  expiries_.emplace(call.expires, id);
  return std::nullopt;
}

bool admission_controller::may_start(time_point now) const {
  return concurrency_.allows(in_flight()) && (!rate_.cold(now) || in_flight() == 0);
}

std::vector<std::pair<uint64_t, failure>> admission_controller::refuse_waiting(const failure& why) {
  std::vector<std::pair<uint64_t, failure>> result;
  for (auto& [id, call] : queue_)
    result.emplace_back(id, refusal(why));
  stats_.rejected_breaker_open += queue_.size();
  queue_.clear();
  expiries_.clear();
  return result;
}

admission_controller::decisions admission_controller::pump(time_point now) {
  decisions result;
  while (!expiries_.empty() && expiries_.begin()->first <= now) {
    auto id = expiries_.begin()->second;
    expiries_.erase(expiries_.begin());
    auto i = queue_.find(id);
    if (i == queue_.end())
      continue;
    auto waited = std::to_string(to_ms(now - i->second.arrived));
    if (i->second.by_deadline) {
      ++stats_.rejected_deadline;
      result.refused.emplace_back(
          id, refusal(failure::timeout("the task's deadline passed after " + waited +
                                       " ms waiting for admission to " + service_)
                          .because("admission_deadline")));
    } else {
      ++stats_.rejected_wait;
      result.refused.emplace_back(
          id, refusal(failure::rate_limited("waited " + waited + " ms for admission to " +
                                                service_ + " without a turn",
                                            duration{0})
                          .because("admission_wait")));
    }
    queue_.erase(i);
  }
  while (!queue_.empty() && may_start(now) && rate_.try_acquire(now)) {
    auto i = queue_.begin();
    if (i->second.arrived < now)
      ++stats_.waited;
    running_.emplace(i->first, running_call{now, in_flight()});
    result.admitted.push_back(i->first);
    queue_.erase(i);
    ++stats_.admitted;
  }
  return result;
}

void admission_controller::on_finished(uint64_t id, const outcome& result, time_point now) {
  auto i = running_.find(id);
  if (i == running_.end())
    return;
  auto call = i->second;
  running_.erase(i);
  auto throttled = throttles(result);
  if (throttled) {
    ++stats_.throttled;
    rate_.on_throttle(call.admitted, now);
  }
  rate_.on_answer(result.limit, now);
  concurrency_.on_finished(call.in_flight_before, now - call.admitted, throttled);
}

std::optional<time_point> admission_controller::next_wakeup(time_point now) {
  if (queue_.empty())
    return std::nullopt;
  auto next = expiries_.begin()->first;
  if (may_start(now))
    next = std::min(next, rate_.next_token(now));
  else if (rate_.cold(now) && concurrency_.allows(in_flight()))
    next = std::min(next, rate_.cold_until());
  return next;
}

admission_stats admission_controller::stats(time_point now) const {
  auto result = stats_;
  auto rate = rate_.rate();
  result.rate_per_s = std::isinf(rate) ? -1 : rate;
  result.source = rate_.source(now);
  result.queued = static_cast<int64_t>(queue_.size());
  result.in_flight = in_flight();
  auto limit = concurrency_.limit();
  result.concurrency_limit = limit == std::numeric_limits<int64_t>::max() ? 0 : limit;
  return result;
}

} // namespace herd
