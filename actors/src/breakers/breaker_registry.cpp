#include "herd/breakers/breaker_registry.hpp"

#include <algorithm>

#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>

#include "herd/breakers/breaker_errc.hpp"
#include "herd/breakers/circuit_breaker.hpp"
#include "herd/breakers/protocol.hpp"
#include "herd/core/atoms.hpp"

namespace herd {

namespace {

/// FNV-1a: a stable hash of a breaker key, so seeds repeat across platforms and runs.
uint64_t stable_hash(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

} // namespace

breaker_registry::breaker_registry(caf::actor_config& cfg, breaker_registry_config config,
                                   std::shared_ptr<metrics_registry> metrics)
    : breaker_registry_actor::base(cfg), config_(std::move(config)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()) {}

void breaker_registry::on_exit() {
  for (auto& [_, e] : breakers_)
    anon_send_exit(e.breaker, caf::exit_reason::user_shutdown);
  breakers_.clear();
  services_.clear();
}

breaker_registry::behavior_type breaker_registry::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) { subscribers_.drop(msg.source); });
  return {
      [this](caf::put_atom, const std::string& service, const caf::actor& handle) {
        services_[service] = handle;
        for (auto& [_, e] : breakers_)
          if (e.service == service)
            caf::anon_send(e.breaker, caf::put_atom::value, handle);
      },
      [this](caf::get_atom, const std::string& service) { return breaker_for("", service); },
      [this](caf::get_atom, const std::string& agent, const std::string& service) {
        return breaker_for(agent, service);
      },
      [this](subscribe_atom, const caf::actor& subscriber) {
        if (!subscribers_.add(subscriber))
          return;
        monitor(subscriber);
        for (auto& [_, e] : breakers_)
          caf::anon_send(e.breaker, subscribe_atom::value, subscriber);
      },
      [this](unsubscribe_atom, const caf::actor& subscriber) {
        if (!subscribers_.remove(subscriber))
          return;
        demonitor(subscriber);
        for (auto& [_, e] : breakers_)
          caf::anon_send(e.breaker, unsubscribe_atom::value, subscriber);
      },
      [this](configure_atom, const std::string& service, const breaker_policy& policy) {
        config_.services[service] = policy;
        for (auto& [_, e] : breakers_)
          if (e.service == service)
            // The free function: the member anon_send of CAF 0.17 still names this actor as sender.
            caf::anon_send(e.breaker, configure_atom::value, policy);
      },
      [this](breaker_list_atom) {
        std::vector<caf::actor> result;
        for (auto& [_, e] : breakers_)
          result.push_back(e.breaker);
        return result;
      },
  };
}

caf::result<caf::actor> breaker_registry::breaker_for(const std::string& agent,
                                                      const std::string& service) {
  auto key = config_.key_of(agent, service);
  if (auto i = breakers_.find(key); i != breakers_.end())
    return i->second.breaker;
  auto handle = services_.find(service);
  if (handle == services_.end())
    return caf::make_error(breaker_errc::unknown_service, service);
  auto& policy = config_.policy_for(service);
  auto breaker = caf::actor_cast<caf::actor>(spawn<circuit_breaker>(
      key, service, handle->second, policy, metrics_, policy.seed ^ stable_hash(key)));
  for (auto& subscriber : subscribers_.all())
    caf::anon_send(breaker, subscribe_atom::value, subscriber);
  breakers_.emplace(key, entry{breaker, service});
  return breaker;
}

} // namespace herd
