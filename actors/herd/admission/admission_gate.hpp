#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "herd/admission/admission_controller.hpp"
#include "herd/admission/admission_policy.hpp"
#include "herd/admission/protocol.hpp"
#include "herd/core/deadline_timer.hpp"
#include "herd/core/metrics_registry.hpp"

namespace herd {

/// The admission control of one service, as an actor: the runtime puts one behind each
/// service's circuit breakers, in front of the service, so every call — first attempts and
/// retries alike — waits here for its turn (`admission_controller`) and a call refused by an
/// open breaker costs no turn; when the service's breaker opens, the calls still waiting are
/// refused at once (circuit_open, reason "admission_breaker_open"), so none reaches the service
/// while it is open. With `enabled: false` calls pass straight through (a task
/// deadline that already passed is still refused).
///
/// With a metrics registry it exports `herd_admission_admitted_total{service}`,
/// `herd_admission_rejected_total{service,reason}` (queue_full, wait, deadline, breaker_open),
/// `herd_admission_throttled_total{service}`, `herd_admission_queued{service}`,
/// `herd_admission_in_flight{service}`, `herd_admission_rate{service}` (calls per second, +Inf
/// when unlimited), `herd_admission_rate_source{service,source}` (1 for the current source) and
/// `herd_admission_wait_seconds{service}`.
class admission_gate : public admission_gate_actor::base {
public:
  /// The gate of `service_name` in front of `service`, under `policy`, counting into `metrics`
  /// (default: none).
  admission_gate(caf::actor_config& cfg, std::string service_name, caf::actor service,
                 admission_policy policy, std::shared_ptr<metrics_registry> metrics = nullptr);

  ~admission_gate() override;

  /// The actor's name in logs: "herd.admission_gate".
  const char* name() const override { return "herd.admission_gate"; }

  /// Refuses every waiting call as unavailable ("service stopping").
  void on_exit() override;

protected:
  behavior_type make_behavior() override;

private:
  struct pending_call {
    std::string payload;
    caf::typed_response_promise<outcome> promise;
    time_point arrived;
  };

  caf::result<outcome> on_call(std::string& payload, time_point deadline);
  void pump(time_point now);
  /// Refuses the waiting calls when the service's breaker opens.
  void on_breaker(const breaker_transition& x);
  void start(uint64_t id, pending_call call, time_point now);
  /// Calls the service with `payload`; `done` gets its answer (or the failure of the request).
  void forward(std::string payload, std::function<void(outcome&)> done);
  void arm(time_point now);
  void publish();

  std::string service_name_;
  caf::actor service_;
  admission_policy policy_;
  admission_controller controller_;
  std::unordered_map<uint64_t, pending_call> waiting_;
  std::unordered_map<uint64_t, caf::typed_response_promise<outcome>> running_;
  uint64_t next_id_ = 1;
  deadline_timer timer_;
  std::shared_ptr<metrics_registry> metrics_;
  struct instruments;
  std::unique_ptr<instruments> metric_;
};

} // namespace herd
