#include "herd/breakers/circuit_breaker.hpp"

#include <algorithm>

#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/breakers/protocol.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/error_replies.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/wall_time.hpp"

namespace herd {

circuit_breaker::circuit_breaker(caf::actor_config& cfg, std::string key, std::string service_name,
                                 caf::actor service, breaker_policy policy,
                                 std::shared_ptr<metrics_registry> metrics, uint64_t seed)
    : circuit_breaker_actor::base(cfg), key_(std::move(key)),
      service_name_(std::move(service_name)), service_(std::move(service)),
      machine_(std::move(policy), seed),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      log_(component_logger("breaker")) {
  auto& m = *metrics_;
  metric_labels labels{{"breaker", key_}, {"service", service_name_}};
  auto with = [&](const char* name, const char* value) {
    auto result = labels;
    result.emplace_back(name, value);
    return result;
  };
  const char* calls_help = "Calls a circuit breaker forwarded, by how they ended";
  success_metric_ = &m.counter("herd_breaker_calls_total", calls_help, with("outcome", "success"));
  failure_metric_ = &m.counter("herd_breaker_calls_total", calls_help, with("outcome", "failure"));
  ignored_metric_ = &m.counter("herd_breaker_calls_total", calls_help, with("outcome", "ignored"));
  slow_metric_ = &m.counter("herd_breaker_slow_calls_total",
                            "Forwarded calls slower than the slow-call duration", labels);
  rejected_metric_ = &m.counter("herd_breaker_rejections_total",
                                "Calls a circuit breaker failed fast without trying", labels);
  state_metric_ = &m.gauge("herd_breaker_state",
                           "Breaker state: 0 closed, 1 open, 2 half_open, 3 forced_open, "
                           "4 disabled, 5 metrics_only",
                           labels);
  failure_rate_metric_ =
      &m.gauge("herd_breaker_failure_rate", "Failure rate of the window", labels);
  slow_rate_metric_ =
      &m.gauge("herd_breaker_slow_call_rate", "Slow-call rate of the window", labels);
  state_since_metric_ = &m.gauge("herd_breaker_state_since_timestamp_seconds",
                                 "Wall-clock Unix time of the breaker's last transition (its "
                                 "start until the first)",
                                 labels);
  stamp_state_since();
}

circuit_breaker::behavior_type circuit_breaker::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) { subscribers_.drop(msg.source); });
  log_error_replies(*this, log_); // listeners' answers to transitions
  return {
      [this](call_atom, std::string& payload) { return on_call(payload, time_point{}); },
      [this](call_atom, std::string& payload, time_point deadline) {
        return on_call(payload, deadline);
      },
      [this](caf::put_atom, const caf::actor& service) { service_ = service; },
      [this](subscribe_atom, const caf::actor& subscriber) {
        if (subscribers_.add(subscriber))
          monitor(subscriber);
      },
      [this](unsubscribe_atom, const caf::actor& subscriber) {
        if (subscribers_.remove(subscriber))
          demonitor(subscriber);
      },
      [this](transition_atom, breaker_state to) {
        log_->warn("breaker {}: moved to {} by hand", key_, to_string(to));
        machine_.transition_to(to, clock().now());
        after_change();
        return status();
      },
      [this](reset_atom) {
        log_->warn("breaker {}: reset by hand", key_);
        machine_.reset(clock().now());
        after_change();
        return status();
      },
      [this](configure_atom, breaker_policy& policy) {
        machine_.reconfigure(std::move(policy), clock().now());
        after_change();
        return status();
      },
      [this](configure_atom, const std::string& json) -> caf::result<breaker_status> {
        try {
          auto doc = parse_json_text(json, "breaker " + key_);
          machine_.reconfigure(breaker_policy::from_json(json_reader{doc}, machine_.policy()),
                               clock().now());
        } catch (const config_error& e) {
          return caf::make_error(errc::invalid_config, std::string{e.what()});
        }
        after_change();
        return status();
      },
      [this](breaker_status_atom) { return status(); },
      [this](tick_atom, uint64_t generation) {
        if (!timer_.fired(generation))
          return; // a timer that an earlier change made obsolete
        auto now = clock().now();
        machine_.on_timer(now);
        expire_calls(now);
        after_change();
      },
  };
}

void circuit_breaker::on_exit() {
  for (auto& [_, call] : calls_)
    call.promise.deliver(outcome::fail(
        failure::unavailable("circuit breaker " + key_ + " stopped").from(service_name_)));
  calls_.clear();
  subscribers_ = subscriber_list{};
  service_ = nullptr;
}

caf::result<outcome> circuit_breaker::on_call(std::string& payload, time_point deadline) {
  auto permit = machine_.try_acquire(clock().now());
  if (permit.probe)
    after_change(); // the call may have turned the breaker half-open
  if (!permit.permitted) {
    ++rejected_;
    rejected_metric_->inc();
    auto why = failure::make(failure_category::circuit_open,
                             "circuit breaker " + key_ + " is " + to_string(machine_.state()));
    why.from(service_name_);
    why.retry_after = permit.retry_after;
    return outcome::fail(std::move(why));
  }
  ++forwarded_;
  call_key key{permit.started + permit.timeout, ++next_call_};
  auto promise = make_response_promise();
  calls_.emplace(key, pending_call{permit, promise});
  auto sent =
      deadline == time_point{}
          ? request(service_, caf::infinite, call_atom::value, std::move(payload))
          : request(service_, caf::infinite, call_atom::value, std::move(payload), deadline);
  std::move(sent).then([this, key](outcome& result) { on_service_reply(key, result); },
                       [this, key](caf::error& err) {
                         auto result = outcome::fail(map_error(err));
                         on_service_reply(key, result);
                       });
  arm_timer();
  return promise;
}

void circuit_breaker::on_service_reply(const call_key& key, outcome& result) {
  auto i = calls_.find(key);
  if (i == calls_.end())
    return; // it timed out; its caller has heard
  auto call = std::move(i->second);
  calls_.erase(i);
  on_answer(call.permit, call.promise, result);
}

void circuit_breaker::expire_calls(time_point now) {
  while (!calls_.empty() && calls_.begin()->first.first <= now) {
    auto call = std::move(calls_.begin()->second);
    calls_.erase(calls_.begin());
    auto result =
        outcome::fail(failure::timeout("no answer from " + service_name_ + " within " +
                                       std::to_string(to_ms(call.permit.timeout)) + " ms"));
    on_answer(call.permit, call.promise, result);
  }
}

void circuit_breaker::on_answer(const breaker_permit& permit, caf::response_promise& promise,
                                outcome& result) {
  auto now = clock().now();
  if (!result.ok() && result.error.refused_locally()) {
    // Admission control refused the call before it reached the service: no verdict on the
    // service (a refused probe leaves the half-open breaker to its max_half_open timer).
    ignored_metric_->inc();
    promise.deliver(std::move(result));
    return;
  }
  auto& policy = machine_.policy();
  bool failed = !result.ok() && policy.records(result.error.category);
  if (result.ok())
    success_metric_->inc();
  else
    (failed ? failure_metric_ : ignored_metric_)->inc();
  if (now - permit.started >= policy.slow_call_duration)
    slow_metric_->inc();
  if (!result.ok() && result.error.service.empty())
    result.error.service = service_name_;
  if (machine_.on_result(permit, now, failed)) {
    auto sum = machine_.totals(now);
    failure_rate_metric_->set(sum.failure_rate());
    slow_rate_metric_->set(sum.slow_rate());
  }
  promise.deliver(std::move(result));
  after_change();
}

failure circuit_breaker::map_error(const caf::error& err) const {
  auto result = err == caf::sec::request_receiver_down
                    ? failure::unavailable("service actor " + service_name_ + " is down")
                    : failure::unknown(system().render(err));
  result.from(service_name_);
  return result;
}

breaker_status circuit_breaker::status() {
  auto now = clock().now();
  auto sum = machine_.totals(now);
  breaker_status result;
  result.key = key_;
  result.service = service_name_;
  result.state = machine_.state();
  result.generation = machine_.generation();
  result.window_calls = sum.calls;
  result.failure_rate = sum.failure_rate();
  result.slow_call_rate = sum.slow_rate();
  result.consecutive_failures = machine_.consecutive_failures();
  result.forwarded = forwarded_;
  result.rejected = rejected_;
  result.until_probe = machine_.until_probe(now);
  result.openings = machine_.openings();
  return result;
}

void circuit_breaker::after_change() {
  if (machine_.generation() != published_generation_) {
    published_generation_ = machine_.generation();
    for (auto& event : machine_.take_transitions()) {
      event.key = key_;
      event.service = service_name_;
      log_->info("breaker {}: {} -> {} (generation {}, next probe in {} ms)", key_,
                 to_string(event.from), to_string(event.to), event.generation,
                 to_ms(event.until_probe));
      metrics_
          ->counter("herd_breaker_transitions_total", "Circuit breaker state changes",
                    {{"breaker", key_}, {"service", service_name_}, {"to", to_string(event.to)}})
          .inc();
      for (auto& subscriber : subscribers_.all())
        caf::anon_send(subscriber, event);
    }
    state_metric_->set(static_cast<double>(machine_.state()));
    stamp_state_since();
    auto sum = machine_.totals(clock().now());
    failure_rate_metric_->set(sum.failure_rate());
    slow_rate_metric_->set(sum.slow_rate());
  }
  arm_timer();
}

void circuit_breaker::stamp_state_since() {
  state_since_metric_->set(static_cast<double>(wall_now_ms()) / 1000.0);
}

void circuit_breaker::arm_timer() {
  auto due = machine_.next_deadline();
  if (!calls_.empty())
    due = std::min(due, calls_.begin()->first.first);
  if (auto generation = timer_.arm(due))
    delayed_send(this, std::max(due - clock().now(), duration{0}), tick_atom::value, *generation);
}

} // namespace herd
