#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/response_promise.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "herd/breakers/breaker_machine.hpp"
#include "herd/breakers/breaker_policy.hpp"
#include "herd/breakers/breaker_status.hpp"
#include "herd/breakers/protocol.hpp"
#include "herd/core/deadline_timer.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/subscriber_list.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Sits in front of one service actor and fails calls fast while the service is down.
///
/// Protocol (atoms in herd/breakers/protocol.hpp and herd/core/atoms.hpp):
/// - `(call_atom, std::string request_json) -> outcome`: a permitted call goes to the service
///   (same message) and the service's outcome comes back; a rejected call fails at once with a
///   `circuit_open` failure whose `retry_after` is the time until the next probe. A call without
///   an answer after the policy's call_timeout (probe_timeout for a probe) fails as `timeout`
///   and its late answer is dropped; a dead service fails calls as `unavailable`.
///
/// Timeouts: the breaker keeps its calls ordered by deadline and one `delayed_send` timer with a
/// generation number (CAF request timeouts cost a lock on the shared clock per call). A service
/// that never answers at all leaves one response handler per timed-out call in the breaker;
/// the breaker trips long before that matters.
/// - `(caf::put_atom, actor)`: a new service actor (e.g. restarted by its supervisor) for the
///   calls to come; calls in flight still end at the old one.
/// - `(subscribe_atom, actor)`, `(unsubscribe_atom, actor)`: subscribers get one
///   `breaker_transition` message per transition (dead subscribers are dropped).
/// - `(transition_atom, breaker_state)`, `(reset_atom)`, `(configure_atom, breaker_policy)`,
///   `(configure_atom, std::string json)` (keys absent keep their current values),
///   `(breaker_status_atom)`: all reply with a `breaker_status`; bad JSON replies an
///   `invalid_config` error naming the JSON path.
///
/// Results of calls permitted before a transition carry an older generation and are not
/// counted (they still reach their caller).
class circuit_breaker : public circuit_breaker_actor::base {
public:
  /// A breaker called `key` in front of `service` (named `service_name`), counting into
  /// `metrics`; jitter comes from a generator seeded with `seed`.
  circuit_breaker(caf::actor_config& cfg, std::string key, std::string service_name,
                  caf::actor service, breaker_policy policy,
                  std::shared_ptr<metrics_registry> metrics, uint64_t seed);

  /// "herd.circuit_breaker".
  const char* name() const override { return "herd.circuit_breaker"; }

  /// Answers every call still in flight with an `unavailable` failure.
  void on_exit() override;

protected:
  behavior_type make_behavior() override;

private:
  /// A forwarded call, keyed by (deadline, call number).
  struct pending_call {
    breaker_permit permit;
    caf::response_promise promise;
  };
  using call_key = std::pair<time_point, uint64_t>;

  caf::result<outcome> on_call(std::string& payload, time_point deadline);
  void on_service_reply(const call_key& key, outcome& result);
  void expire_calls(time_point now);
  void on_answer(const breaker_permit& permit, caf::response_promise& promise, outcome& result);
  failure map_error(const caf::error& err) const;
  breaker_status status();
  void after_change();
  void arm_timer();
  // Sets herd_breaker_state_since_timestamp_seconds to the wall clock's now.
  void stamp_state_since();

  std::string key_;
  std::string service_name_;
  caf::actor service_;
  breaker_machine machine_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  subscriber_list subscribers_;
  std::map<call_key, pending_call> calls_;
  uint64_t next_call_ = 0;
  uint64_t published_generation_ = 0;
  deadline_timer timer_;
  uint64_t forwarded_ = 0;
  uint64_t rejected_ = 0;

  counter* success_metric_;
  counter* failure_metric_;
  counter* ignored_metric_;
  counter* slow_metric_;
  counter* rejected_metric_;
  gauge* state_metric_;
  gauge* failure_rate_metric_;
  gauge* slow_rate_metric_;
  gauge* state_since_metric_;
};

} // namespace herd
