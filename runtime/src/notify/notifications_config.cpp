#include "herd/notify/notifications_config.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

notifications_config notifications_config::from_json(const json_reader& in,
                                                     const webhook_config::env_lookup& env) {
  in.only_keys({"webhooks", "agents"});
  notifications_config result;
  result.agents = static_cast<int32_t>(in.integer("agents", result.agents, 1, 64));
  if (!in.has("webhooks"))
    return result;
  auto list = in.at("webhooks");
  if (!list.value().is_array())
    in.fail("webhooks", "an array of webhooks");
  std::set<std::string> names;
  auto elements = list.elements();
  for (size_t i = 0; i < elements.size(); ++i) {
    auto hook = webhook_config::from_json(elements[i], i, env);
    if (!names.insert(hook.name).second)
      elements[i].fail("name", "a name no other webhook has");
    result.webhooks.push_back(std::move(hook));
  }
  return result;
}

nlohmann::json notifications_config::to_json() const {
  nlohmann::json hooks = nlohmann::json::array();
  for (auto& hook : webhooks)
    hooks.push_back(hook.to_json());
  return {{"webhooks", hooks}, {"agents", agents}};
}

} // namespace herd
