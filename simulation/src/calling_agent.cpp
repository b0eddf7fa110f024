#include "herd/simulation/calling_agent.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/atoms.hpp"

namespace herd {

calling_agent::calling_agent(caf::actor_config& cfg, caf::actor service, caf::duration timeout)
    : agent(cfg), default_service_(std::move(service)), timeout_(timeout) {}

calling_agent::calling_agent(caf::actor_config& cfg, std::map<std::string, caf::actor> services,
                             caf::duration timeout)
    : agent(cfg), services_(std::move(services)), timeout_(timeout) {}

std::string calling_agent::request_of(const task& t) {
  if (t.route.params.empty())
    return t.payload;
  auto request = t.payload_json();
  request.merge_patch(nlohmann::json::parse(t.route.params));
  return request.dump();
}

caf::actor calling_agent::service_for(const task& t) const {
  if (default_service_)
    return default_service_;
  auto i = services_.find(t.service);
  return i == services_.end() ? caf::actor{} : i->second;
}

void calling_agent::handle_async(const task& t, task_completion done) {
  auto service = service_for(t);
  if (!service) {
    done.fail(failure::permanent("no service named \"" + t.service + "\" for this agent"));
    return;
  }
  // The task's deadline (none: the epoch) lets admission control refuse a call that waited
  // past it.
  request(service, timeout_, call_atom::value, request_of(t), t.deadline)
      .then([done](outcome& answer) { done.finish(std::move(answer)); },
            [done](caf::error& e) { done.fail(failure::timeout("call failed: " + to_string(e))); });
}

} // namespace herd
