#include "distribution/node_endpoint.hpp"

#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/core/errc.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/distribution/node_errc.hpp"

namespace herd {

node_endpoint::node_endpoint(caf::actor_config& cfg, node_registry registry,
                             node_endpoint_hooks hooks)
    : node_endpoint_actor::base(cfg), registry_(std::move(registry)), hooks_(std::move(hooks)),
      log_(component_logger("nodes")) {
  // nop
}

node_endpoint::behavior_type node_endpoint::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) {
    auto i = agents_.find(msg.source);
    if (i == agents_.end())
      return;
    auto node = i->second.node;
    if (msg.reason == caf::exit_reason::remote_link_unreachable) {
      // CAF 0.17.6 has no node-down event: the first proxy down stands for the whole node.
      if (registry_.lose(node, "connection lost (remote_link_unreachable)")) {
        log_->warn("node {} lost (its connection dropped): its agents' leases are re-queued", node);
        dismiss_node(node);
      }
      return;
    }
    log_->warn("agent {} of node {} exited: {}", i->second.name, node, system().render(msg.reason));
    hooks_.dismiss(i->second.handle, i->second.name);
    agents_.erase(i);
  });
  return {
      [this](node_join_atom, node_registration& r) -> caf::result<node_info> {
        if (auto why = registry_.refusal(r); !why.empty()) {
          log_->warn("refused a node: {}", why);
          return caf::make_error(node_errc::refused, std::move(why));
        }
        dismiss_node(r.name); // a worker registering again replaces its earlier agents
        std::vector<std::string> names;
        for (auto& agent : r.agents) {
          if (!agent)
            continue;
          auto name = hooks_.enroll(r.pool, agent);
          monitor(agent);
          agents_[agent.address()] = remote_agent{r.name, name, agent};
          names.push_back(std::move(name));
        }
        log_->info("node {} joined pool {} with {} agents", r.name, r.pool, names.size());
        return registry_.admit(r.name, r.pool, std::move(names), wall_now_ms());
      },
      [this](node_ping_atom, const std::string& worker) { registry_.touch(worker, wall_now_ms()); },
      [this](nodes_atom, const node_credentials& c) -> caf::result<std::vector<node_info>> {
        if (auto why = registry_.refusal(c); !why.empty())
          return caf::make_error(node_errc::refused, "a client " + why);
        return registry_.view();
      },
      [this](node_submit_atom, node_credentials& c, task& t) -> caf::result<outcome> {
        auto dispatcher = dispatcher_for(c);
        if (!dispatcher)
          return std::move(dispatcher.error());
        return delegate(*dispatcher, submit_atom::value, std::move(t));
      },
      [this](node_enqueue_atom, node_credentials& c, task& t) -> caf::result<std::string> {
        auto dispatcher = dispatcher_for(c);
        if (!dispatcher)
          return std::move(dispatcher.error());
        return delegate(*dispatcher, enqueue_atom::value, std::move(t));
      },
  };
}

void node_endpoint::on_exit() {
  agents_.clear();
  hooks_ = node_endpoint_hooks{};
}

caf::expected<dispatcher_actor> node_endpoint::dispatcher_for(const node_credentials& c) {
  if (auto why = registry_.refusal(c); !why.empty()) {
    log_->warn("refused a client: {}", why);
    return caf::make_error(node_errc::refused, "a client " + why);
  }
  auto dispatcher = hooks_.dispatcher ? hooks_.dispatcher() : dispatcher_actor{};
  if (!dispatcher)
    return caf::make_error(errc::shutting_down, "the coordinator's dispatcher is gone");
  return dispatcher;
}

void node_endpoint::dismiss_node(const std::string& node) {
  for (auto i = agents_.begin(); i != agents_.end();) {
    if (i->second.node != node) {
      ++i;
      continue;
    }
    demonitor(i->second.handle);
    hooks_.dismiss(i->second.handle, i->second.name);
    i = agents_.erase(i);
  }
}

} // namespace herd
