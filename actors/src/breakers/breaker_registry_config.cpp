#include "herd/breakers/breaker_registry_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(breaker_scope x) {
  return x == breaker_scope::agent_service ? "agent_service" : "service";
}

const breaker_policy& breaker_registry_config::policy_for(const std::string& service) const {
  auto i = services.find(service);
  return i != services.end() ? i->second : defaults;
}

std::string breaker_registry_config::key_of(const std::string& agent,
                                            const std::string& service) const {
  return scope == breaker_scope::agent_service ? agent + "/" + service : service;
}

breaker_registry_config breaker_registry_config::from_json(const json_reader& in) {
  in.only_keys({"scope", "defaults", "services"});
  breaker_registry_config result;
  if (in.choice("scope", "service", {"service", "agent_service"}) == "agent_service")
    result.scope = breaker_scope::agent_service;
  if (in.has("defaults"))
    result.defaults = breaker_policy::from_json(in.at("defaults"));
  if (in.has("services")) {
    auto services = in.at("services");
    for (auto& name : services.keys())
      result.services.emplace(name, breaker_policy::from_json(services.at(name), result.defaults));
  }
  return result;
}

nlohmann::json breaker_registry_config::to_json() const {
  auto per_service = nlohmann::json::object();
  for (auto& [name, policy] : services)
    per_service[name] = policy.to_json();
  return {{"scope", to_string(scope)}, {"defaults", defaults.to_json()}, {"services", per_service}};
}

} // namespace herd
