#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>

#include <caf/typed_event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/dispatch/pool_load.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/supervision/autoscaler_policy.hpp"
#include "herd/supervision/child_spec.hpp"
#include "herd/supervision/protocol.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// What a pool's autoscaler works with, given at spawn.
struct pool_autoscaler_peers {
  /// The pool it sizes.
  std::string pool;
  /// The pool's supervisor: new agents join through it, removed ones leave through it. The
  /// autoscaler ends with it.
  supervisor_actor supervisor;
  /// The current dispatcher (a new one after a restart of the system actors).
  std::function<dispatcher_actor()> dispatcher;
  /// A spec of a fresh agent of the pool (its name reserved, its start enrolling it).
  std::function<child_spec()> make_agent;
  /// Told of every agent removed from the pool (the runtime forgets it); may be empty.
  std::function<void(const caf::actor&)> removed;
};

/// Sizes one pool (docs/pools.md): every `sample_interval` it asks the dispatcher for the pool's
/// load and feeds `autoscaler_policy`. Growing sends `(scale_up_atom, spec, why)` to the pool's
/// supervisor per agent. Shrinking picks the newest running agent, retires it at the dispatcher
/// (no new leases; the reply comes once its last result is in, so nothing is lost or run twice)
/// and then sends `(scale_down_atom, agent, why)` to the supervisor, which stops it for good.
/// The supervisor emits the `scaled_up`/`scaled_down` events; the autoscaler keeps the metrics
/// `herd_pool_agents{pool}`, `herd_pool_scale_ups_total{pool}` and
/// `herd_pool_scale_downs_total{pool}`. It monitors the supervisor and quits with it.
class pool_autoscaler : public pool_autoscaler_actor::base {
public:
  /// An autoscaler with `config` for a pool of `initial` agents, counting into `metrics`.
  pool_autoscaler(caf::actor_config& cfg, autoscaling_config config, int32_t initial,
                  pool_autoscaler_peers peers, std::shared_ptr<metrics_registry> metrics);

  /// "autoscaler:<pool>".
  const char* name() const override { return name_.c_str(); }

protected:
  behavior_type make_behavior() override;
  /// Drops its peers (the factory holds the runtime's tables).
  void on_exit() override;

private:
  void on_load(const pool_load& load);
  void shrink(const std::string& why);
  void schedule(uint64_t generation);

  std::string name_;
  autoscaler_policy policy_;
  pool_autoscaler_peers peers_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  std::unordered_set<caf::actor_addr> retiring_; // chosen to leave, not yet removed
  uint64_t generation_ = 0;
  gauge* size_metric_;
  counter* ups_metric_;
  counter* downs_metric_;
};

} // namespace herd
