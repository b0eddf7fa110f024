#include "herd/degradation/fallback_tier.hpp"

#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(tier_kind x) {
  switch (x) {
  case tier_kind::service:
    return "service";
  case tier_kind::rule:
    return "rule";
  case tier_kind::human:
    return "human";
  }
  return "invalid";
}

fallback_tier fallback_tier::service(std::string name, nlohmann::json params) {
  fallback_tier result;
  result.kind = tier_kind::service;
  result.label = name;
  result.target = std::move(name);
  result.params = std::move(params);
  return result;
}

fallback_tier fallback_tier::rule(std::string name) {
  fallback_tier result;
  result.kind = tier_kind::rule;
  result.label = "rule:" + name;
  result.target = std::move(name);
  return result;
}

fallback_tier fallback_tier::human() {
  fallback_tier result;
  result.kind = tier_kind::human;
  result.label = "human";
  return result;
}

bool fallback_tier::same_target(const fallback_tier& other) const {
  return kind == other.kind && target == other.target && params == other.params;
}

fallback_tier fallback_tier::from_json(const json_reader& in) {
  if (!in.value().is_object())
    in.fail("a tier: {\"service\": NAME}, {\"rule\": NAME} or {\"human\": true}");
  int kinds = in.has("service") + in.has("rule") + in.has("human");
  if (kinds != 1)
    in.fail("exactly one of \"service\", \"rule\" or \"human\" in a tier");
  fallback_tier result;
  if (in.has("service")) {
    in.only_keys({"service", "params", "max_attempts", "name"});
    auto name = in.string("service", "");
    if (name.empty())
      in.fail("service", "a service name");
    nlohmann::json params = nlohmann::json::object();
    if (in.has("params")) {
      params = in.at("params").value();
      if (!params.is_object())
        in.fail("params", "an object of request parameters");
    }
    result = service(std::move(name), std::move(params));
    result.max_attempts = static_cast<int32_t>(in.integer("max_attempts", 0, 1, 1000000));
  } else if (in.has("rule")) {
    in.only_keys({"rule", "name"});
    auto name = in.string("rule", "");
    if (name.empty())
      in.fail("rule", "a rule name");
    result = rule(std::move(name));
  } else {
    in.only_keys({"human", "name"});
    if (!in.boolean("human", false))
      in.fail("human", "true (a human tier; leave the tier out otherwise)");
    result = human();
  }
  result.label = in.string("name", result.label);
  if (result.label.empty())
    in.fail("name", "a non-empty label");
  return result;
}

nlohmann::json fallback_tier::to_json() const {
  nlohmann::json result;
  switch (kind) {
  case tier_kind::service:
    result = {{"service", target}, {"params", params}};
    if (max_attempts > 0)
      result["max_attempts"] = max_attempts;
    break;
  case tier_kind::rule:
    result = {{"rule", target}};
    break;
  case tier_kind::human:
    result = {{"human", true}};
    break;
  }
  result["name"] = label;
  return result;
}

} // namespace herd
