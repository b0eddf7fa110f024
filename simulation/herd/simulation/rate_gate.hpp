#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "herd/retry/adaptive_pacer.hpp"

namespace herd {

/// Admission pacing in front of a service: forwards `(call_atom, std::string) -> outcome` to
/// the service no faster than an `adaptive_pacer` allows (calls wait, in order, for a token)
/// and slows the pacer when the service answers rate_limited or unavailable. The herd strategy
/// registers it as the service behind the breaker, so a call rejected by an open breaker costs
/// no token and the service sees at most about the pacer's rate.
class rate_gate : public caf::event_based_actor {
public:
  /// A gate in front of `service` with the pacer settings `pacing`.
  rate_gate(caf::actor_config& cfg, caf::actor service, adaptive_pacer::settings pacing);

  /// "herd.sim.rate_gate".
  const char* name() const override { return "herd.sim.rate_gate"; }

protected:
  caf::behavior make_behavior() override;

private:
  struct waiting_call {
    std::string payload;
    caf::response_promise promise;
  };

  void pump();

  caf::actor service_;
  adaptive_pacer::settings settings_;
  adaptive_pacer pacer_;
  std::deque<waiting_call> queue_;
  uint64_t generation_ = 0;
  bool armed_ = false;
};

} // namespace herd
