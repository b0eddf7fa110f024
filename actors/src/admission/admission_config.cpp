#include "herd/admission/admission_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

const admission_policy& admission_config::policy_for(const std::string& service) const {
  auto i = services.find(service);
  return i != services.end() ? i->second : defaults;
}

admission_config admission_config::from_json(const json_reader& in) {
  in.only_keys({"defaults", "services"});
  admission_config result;
  if (in.has("defaults"))
    result.defaults = admission_policy::from_json(in.at("defaults"));
  if (in.has("services")) {
    auto services = in.at("services");
    for (auto& name : services.keys())
      result.services.emplace(name,
                              admission_policy::from_json(services.at(name), result.defaults));
  }
  return result;
}

nlohmann::json admission_config::to_json() const {
  auto per_service = nlohmann::json::object();
  for (auto& [name, policy] : services)
    per_service[name] = policy.to_json();
  return {{"defaults", defaults.to_json()}, {"services", per_service}};
}

} // namespace herd
