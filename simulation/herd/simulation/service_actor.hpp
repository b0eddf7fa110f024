#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "herd/core/outcome.hpp"
#include "herd/core/time.hpp"
#include "herd/simulation/run_recorder.hpp"
#include "herd/simulation/scenario.hpp"
#include "herd/simulation/service_model.hpp"

namespace herd {

/// The simulated downstream service as an actor: answers `(call_atom, std::string) -> outcome`
/// after the model's latency (a `delayed_send` on the actor clock, so virtual time drives it),
/// with the model's verdict as a classified failure (status code and Retry-After set), and
/// records every call in the run's recorder.
class service_actor : public caf::event_based_actor {
public:
  /// The service `name` of `config`, seeded with `seed`, whose time 0 is `start`.
  service_actor(caf::actor_config& cfg, const scenario& config, std::string name, uint64_t seed,
                time_point start, std::shared_ptr<run_recorder> recorder);

  /// "herd.sim.service".
  const char* name() const override { return "herd.sim.service"; }

protected:
  caf::behavior make_behavior() override;
  /// Answers the calls still held with `request_receiver_down`.
  void on_exit() override;

private:
  outcome answer_of(const service_answer& x) const;

  service_model model_;
  std::string service_;
  time_point start_;
  std::shared_ptr<run_recorder> recorder_;
  uint64_t next_id_ = 0;
  std::unordered_map<uint64_t, std::pair<caf::response_promise, outcome>> waiting_;
};

} // namespace herd
