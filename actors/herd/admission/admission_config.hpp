#pragma once

#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/admission/admission_policy.hpp"

namespace herd {

class json_reader;

/// The admission control of a runtime's services: a default policy and policies per service.
///
/// JSON: {"defaults": {POLICY}, "services": {"llm": {POLICY}}}, where a service's POLICY
/// overrides the defaults key by key.
struct admission_config {
  /// The policy of services without their own entry. Default: `admission_policy{}`.
  admission_policy defaults;
  /// Policies by service name. Default: none.
  std::map<std::string, admission_policy> services;

  /// The policy of `service`.
  const admission_policy& policy_for(const std::string& service) const;

  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field.
  static admission_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
