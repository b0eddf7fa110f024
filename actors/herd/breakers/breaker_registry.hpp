#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "herd/breakers/breaker_registry_config.hpp"
#include "herd/breakers/protocol.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/subscriber_list.hpp"

namespace herd {

/// Creates circuit breakers on demand, one per key: per service by default, per (agent,
/// service) with scope agent_service. Each breaker uses its service's policy and a jitter seed
/// mixed from the policy's seed and its key.
///
/// Protocol (atoms in herd/breakers/protocol.hpp and herd/core/atoms.hpp):
/// - `(caf::put_atom, std::string service, actor)`: registers (or replaces) the actor that
///   serves `service`; the service's existing breakers forward their next calls to it.
/// - `(caf::get_atom, std::string service) -> actor` and
///   `(caf::get_atom, std::string agent, std::string service) -> actor`: the breaker for the
///   call, created on first use; an `unknown_service` error if no actor serves `service`.
/// - `(subscribe_atom, actor)`, `(unsubscribe_atom, actor)`: applied to every breaker,
///   including breakers created later.
/// - `(configure_atom, std::string service, breaker_policy)`: the service's new policy, for its
///   existing breakers and later ones.
/// - `(breaker_list_atom) -> std::vector<caf::actor>`: every breaker, ordered by key.
class breaker_registry : public breaker_registry_actor::base {
public:
  /// A registry with `config`, whose breakers count into `metrics`.
  breaker_registry(caf::actor_config& cfg, breaker_registry_config config,
                   std::shared_ptr<metrics_registry> metrics);

  /// "herd.breaker_registry".
  const char* name() const override { return "herd.breaker_registry"; }

  /// Stops every breaker it created.
  void on_exit() override;

protected:
  behavior_type make_behavior() override;

private:
  struct entry {
    caf::actor breaker;
    std::string service;
  };

  caf::result<caf::actor> breaker_for(const std::string& agent, const std::string& service);

  breaker_registry_config config_;
  std::shared_ptr<metrics_registry> metrics_;
  std::map<std::string, caf::actor> services_;
  std::map<std::string, entry> breakers_;
  subscriber_list subscribers_;
};

} // namespace herd
