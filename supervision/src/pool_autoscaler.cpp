#include "herd/supervision/pool_autoscaler.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "herd/core/logging.hpp"

namespace herd {

pool_autoscaler::pool_autoscaler(caf::actor_config& cfg, autoscaling_config config, int32_t initial,
                                 pool_autoscaler_peers peers,
                                 std::shared_ptr<metrics_registry> metrics)
    : pool_autoscaler_actor::base(cfg), name_("autoscaler:" + peers.pool),
      policy_(std::move(config), initial), peers_(std::move(peers)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      log_(component_logger("autoscaler")) {
  metric_labels labels{{"pool", peers_.pool}};
  size_metric_ = &metrics_->gauge("herd_pool_agents", "Agents a pool's autoscaler keeps", labels);
  ups_metric_ =
      &metrics_->counter("herd_pool_scale_ups_total", "Agents added by autoscaling", labels);
  downs_metric_ =
      &metrics_->counter("herd_pool_scale_downs_total", "Agents removed by autoscaling", labels);
  size_metric_->set(policy_.size());
}

pool_autoscaler::behavior_type pool_autoscaler::make_behavior() {
  if (peers_.supervisor) {
    monitor(peers_.supervisor);
    set_down_handler([this](caf::down_msg& dm) {
      if (dm.source == peers_.supervisor.address())
        quit(dm.reason);
    });
  }
  schedule(generation_);
  return {
      [this](tick_atom, uint64_t generation) {
        if (generation != generation_)
          return;
        schedule(++generation_);
        auto dispatcher = peers_.dispatcher ? peers_.dispatcher() : dispatcher_actor{};
        if (!dispatcher)
          return;
        request(dispatcher, policy_.config().sample_interval, pool_load_atom::value, peers_.pool)
            .then([this](pool_load& load) { on_load(load); },
                  [](caf::error&) {}); // a lost sample: the next one decides
      },
      [this](pool_size_atom) { return policy_.size(); },
  };
}

void pool_autoscaler::on_exit() {
  peers_ = pool_autoscaler_peers{};
  retiring_.clear();
}

void pool_autoscaler::schedule(uint64_t generation) {
  delayed_send(this, policy_.config().sample_interval, tick_atom::value, generation);
}

void pool_autoscaler::on_load(const pool_load& load) {
  auto decision = policy_.sample(clock().now(), load.queued, load.busy);
  switch (decision.what) {
  case scaling_decision::action::hold:
    return;
  case scaling_decision::action::grow:
    log_->info("pool {} grows by {} to {} agents: {}", peers_.pool, decision.count, decision.size,
               decision.why);
    for (int32_t i = 0; i < decision.count; ++i)
      if (auto spec = peers_.make_agent ? peers_.make_agent() : child_spec{}; spec.start)
        send(peers_.supervisor, scale_up_atom::value, std::move(spec), decision.why);
    ups_metric_->inc(decision.count);
    break;
  case scaling_decision::action::shrink:
    log_->info("pool {} shrinks by {} to {} agents: {}", peers_.pool, decision.count, decision.size,
               decision.why);
    for (int32_t i = 0; i < decision.count; ++i)
      shrink(decision.why);
    downs_metric_->inc(decision.count);
    break;
  }
  size_metric_->set(decision.size);
}

void pool_autoscaler::shrink(const std::string& why) {
  request(peers_.supervisor, caf::infinite, children_atom::value)
      .then(
          [this, why](const std::vector<caf::actor>& children) {
            // The newest running agent that is not leaving already.
            caf::actor victim;
            for (auto i = children.rbegin(); i != children.rend() && !victim; ++i)
              if (*i && retiring_.count(i->address()) == 0)
                victim = *i;
            auto dispatcher = peers_.dispatcher ? peers_.dispatcher() : dispatcher_actor{};
            if (!victim || !dispatcher)
              return;
            retiring_.insert(victim.address());
            request(dispatcher, caf::infinite, retire_atom::value, victim)
                .then(
                    [this, victim, why](bool) {
                      retiring_.erase(victim.address());
                      send(peers_.supervisor, scale_down_atom::value, victim, why);
                      if (peers_.removed)
                        peers_.removed(victim);
                    },
                    [this, victim](caf::error&) { retiring_.erase(victim.address()); });
          },
          [](caf::error&) {});
}

} // namespace herd
