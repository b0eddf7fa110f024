#include "herd/admission/admission_gate.hpp"

#include <array>
#include <limits>

namespace herd {

/// The gate's metrics, looked up once.
struct admission_gate::instruments {
  counter* admitted;
  counter* rejected_queue_full;
  counter* rejected_wait;
  counter* rejected_deadline;
  counter* rejected_breaker_open;
  counter* throttled;
  gauge* queued;
  gauge* in_flight;
  gauge* rate;
  std::array<gauge*, 4> sources;
  histogram* wait;
  /// The numbers already exported.
  admission_stats exported;
};

admission_gate::admission_gate(caf::actor_config& cfg, std::string service_name, caf::actor service,
                               admission_policy policy, std::shared_ptr<metrics_registry> metrics)
    : admission_gate_actor::base(cfg), service_name_(std::move(service_name)),
      service_(std::move(service)), policy_(policy),
      controller_(service_name_, policy_, clock().now()), metrics_(std::move(metrics)) {
  if (!metrics_)
    return;
  metric_labels by_service{{"service", service_name_}};
  auto rejected = [&](const char* reason) {
    return &metrics_->counter("herd_admission_rejected_total",
                              "Calls refused by admission control, by reason.",
                              {{"service", service_name_}, {"reason", reason}});
  };
  metric_ = std::make_unique<instruments>(instruments{
      &metrics_->counter("herd_admission_admitted_total", "Calls admitted to a downstream service.",
                         by_service),
      rejected("queue_full"),
      rejected("wait"),
      rejected("deadline"),
      rejected("breaker_open"),
      &metrics_->counter("herd_admission_throttled_total",
                         "Admitted calls the service throttled (429, 503, timeout).", by_service),
      &metrics_->gauge("herd_admission_queued", "Calls waiting for admission.", by_service),
      &metrics_->gauge("herd_admission_in_flight", "Admitted calls not answered yet.", by_service),
      &metrics_->gauge("herd_admission_rate", "Admission rate, calls per second.", by_service),
      {},
      &metrics_->histogram("herd_admission_wait_seconds", "Time calls waited for admission.",
                           by_service),
      admission_stats{}});
  for (auto source : {rate_source::unlimited, rate_source::configured, rate_source::published,
                      rate_source::learned})
    metric_->sources[static_cast<size_t>(source)] = &metrics_->gauge(
        "herd_admission_rate_source", "Where the admission rate comes from (1 = current).",
        {{"service", service_name_}, {"source", to_string(source)}});
}

admission_gate::~admission_gate() = default;

admission_gate::behavior_type admission_gate::make_behavior() {
  publish();
  return {
      [this](call_atom, std::string& payload) { return on_call(payload, time_point{}); },
      [this](call_atom, std::string& payload, time_point deadline) {
        return on_call(payload, deadline);
      },
      [this](caf::put_atom, caf::actor service) { service_ = std::move(service); },
      [this](admission_stats_atom) { return controller_.stats(clock().now()); },
      [this](const breaker_transition& x) { on_breaker(x); },
      [this](tick_atom, uint64_t generation) {
        if (!timer_.fired(generation))
          return;
        pump(clock().now());
      },
  };
}

caf::result<outcome> admission_gate::on_call(std::string& payload, time_point deadline) {
  auto now = clock().now();
  auto id = next_id_++;
  if (!policy_.enabled && (deadline == time_point{} || deadline > now)) {
    auto promise = make_response_promise<outcome>();
    forward(std::move(payload), [promise](outcome& result) mutable { promise.deliver(result); });
    return promise;
  }
  if (auto refused = controller_.offer(id, deadline, now)) {
    publish();
    return outcome::fail(std::move(*refused));
  }
  auto promise = make_response_promise<outcome>();
  waiting_.emplace(id, pending_call{std::move(payload), promise, now});
  pump(now);
  return promise;
}

void admission_gate::on_breaker(const breaker_transition& x) {
  // Per-agent breakers ("agent/service") speak for one agent's calls only.
  if (x.key != service_name_ || x.to != breaker_state::open)
    return;
  auto why =
      failure::make(failure_category::circuit_open,
                    "circuit breaker " + x.key + " opened while the call waited for admission");
  why.because("admission_breaker_open");
  why.retry_after = x.until_probe;
  for (auto& [id, refusal] : controller_.refuse_waiting(why)) {
    auto i = waiting_.find(id);
    if (i == waiting_.end())
      continue;
    i->second.promise.deliver(outcome::fail(std::move(refusal)));
    waiting_.erase(i);
  }
  publish();
}

void admission_gate::pump(time_point now) {
  auto decided = controller_.pump(now);
  for (auto& [id, why] : decided.refused) {
    auto i = waiting_.find(id);
    if (i == waiting_.end())
      continue;
    i->second.promise.deliver(outcome::fail(std::move(why)));
    waiting_.erase(i);
  }
  for (auto id : decided.admitted) {
    auto i = waiting_.find(id);
    if (i == waiting_.end())
      continue;
    auto call = std::move(i->second);
    waiting_.erase(i);
    start(id, std::move(call), now);
  }
  arm(now);
  publish();
}

void admission_gate::start(uint64_t id, pending_call call, time_point now) {
  if (metric_)
    metric_->wait->observe(std::chrono::duration<double>(now - call.arrived).count());
  auto promise = call.promise;
  running_.emplace(id, promise);
  auto finish = [this, id](outcome& result) {
    controller_.on_finished(id, result, clock().now());
    auto i = running_.find(id);
    if (i != running_.end()) {
      i->second.deliver(std::move(result));
      running_.erase(i);
    }
    pump(clock().now());
  };
  forward(std::move(call.payload), std::move(finish));
}

void admission_gate::forward(std::string payload, std::function<void(outcome&)> done) {
  request(service_, caf::infinite, call_atom::value, std::move(payload))
      .then([done](outcome& result) { done(result); },
            [this, done](caf::error& err) {
              auto why = err == caf::sec::request_receiver_down
                             ? failure::unavailable("service actor " + service_name_ + " is down")
                             : failure::unknown(system().render(err));
              auto result = outcome::fail(std::move(why.from(service_name_)));
              done(result);
            });
}

void admission_gate::arm(time_point now) {
  auto next = controller_.next_wakeup(now);
  if (!next)
    return;
  if (auto generation = timer_.arm(*next))
    delayed_send(this, *next - now, tick_atom::value, *generation);
}

void admission_gate::publish() {
  if (!metric_)
    return;
  auto now = clock().now();
  auto current = controller_.stats(now);
  auto& last = metric_->exported;
  metric_->admitted->inc(current.admitted - last.admitted);
  metric_->rejected_queue_full->inc(current.rejected_queue_full - last.rejected_queue_full);
  metric_->rejected_wait->inc(current.rejected_wait - last.rejected_wait);
  metric_->rejected_deadline->inc(current.rejected_deadline - last.rejected_deadline);
  metric_->rejected_breaker_open->inc(current.rejected_breaker_open - last.rejected_breaker_open);
  metric_->throttled->inc(current.throttled - last.throttled);
  metric_->queued->set(static_cast<double>(current.queued));
  metric_->in_flight->set(static_cast<double>(current.in_flight));
  metric_->rate->set(current.rate_per_s < 0 ? std::numeric_limits<double>::infinity()
                                            : current.rate_per_s);
  for (size_t i = 0; i < metric_->sources.size(); ++i)
    metric_->sources[i]->set(static_cast<size_t>(current.source) == i ? 1 : 0);
  last = std::move(current);
}

void admission_gate::on_exit() {
  auto stopping = [this] {
    return outcome::fail(
        failure::unavailable("service stopping").because("shutting_down").from(service_name_));
  };
  for (auto& [_, call] : waiting_)
    call.promise.deliver(stopping());
  for (auto& [_, promise] : running_)
    promise.deliver(stopping());
  waiting_.clear();
  running_.clear();
  service_ = nullptr;
  admission_gate_actor::base::on_exit();
}

} // namespace herd
