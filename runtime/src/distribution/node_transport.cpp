#include "distribution/node_transport.hpp"

#include <set>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

namespace herd::node_transport {

caf::io::middleman_actor middleman(caf::actor_system& sys, const node_config& config) {
  return config.tls.enabled() ? sys.openssl_manager().actor_handle()
                              : sys.middleman().actor_handle();
}

caf::expected<uint16_t> publish(caf::actor_system& sys, const caf::actor& whom,
                                const node_config& config) {
  if (!config.tls.enabled())
    return sys.middleman().publish(whom, config.port, config.host.c_str(), true);
  caf::scoped_actor self{sys};
  caf::expected<uint16_t> result{caf::sec::runtime_error};
  self->request(middleman(sys, config), caf::infinite, caf::publish_atom::value, config.port,
                caf::actor_cast<caf::strong_actor_ptr>(whom), sys.message_types(whom), config.host,
                true)
      .receive([&](uint16_t port) { result = port; },
               [&](caf::error& e) { result = std::move(e); });
  return result;
}

void unpublish(caf::actor_system& sys, const caf::actor& whom, uint16_t port,
               const node_config& config) {
  if (!config.tls.enabled()) {
    sys.middleman().unpublish(whom, port);
    return;
  }
  caf::anon_send(middleman(sys, config), caf::unpublish_atom::value, whom.address(), port);
}

} // namespace herd::node_transport
