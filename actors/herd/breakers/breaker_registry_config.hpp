#pragma once

#include <map>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/breakers/breaker_policy.hpp"

namespace herd {

class json_reader;

/// Which calls share a circuit breaker.
enum class breaker_scope : uint8_t {
  /// One breaker per service, shared by every agent. Key: the service name.
  service,
  /// One breaker per (agent, service). Key: "agent/service".
  agent_service,
};

/// The name of a scope: "service" or "agent_service".
std::string to_string(breaker_scope x);

/// The configuration of a breaker registry: the scope and a policy per service.
///
/// JSON: {"scope": "service", "defaults": {POLICY}, "services": {"llm": {POLICY}}}, where a
/// service's POLICY overrides the defaults key by key.
struct breaker_registry_config {
  /// Which calls share a breaker. Default: service.
  breaker_scope scope = breaker_scope::service;
  /// The policy of services without their own entry. Default: `breaker_policy{}`.
  breaker_policy defaults;
  /// Policies by service name. Default: none.
  std::map<std::string, breaker_policy> services;

  /// The policy of `service`.
  const breaker_policy& policy_for(const std::string& service) const;
  /// The breaker key of a call by `agent` to `service` under this scope.
  std::string key_of(const std::string& agent, const std::string& service) const;

  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field.
  static breaker_registry_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Makes `breaker_registry_config` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, breaker_registry_config& x) {
  return f(caf::meta::type_name("herd::breaker_registry_config"), x.scope, x.defaults, x.services);
}

} // namespace herd
