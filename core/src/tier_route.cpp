#include "herd/core/tier_route.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

bool operator==(const tier_route& x, const tier_route& y) {
  return x.tier == y.tier && x.params == y.params && x.home_pool == y.home_pool;
}

void to_json(nlohmann::json& j, const tier_route& x) {
  j = nlohmann::json{{"tier", x.tier}};
  if (!x.params.empty())
    j["params"] = nlohmann::json::parse(x.params, nullptr, false);
  if (!x.home_pool.empty())
    j["home_pool"] = x.home_pool;
}

void from_json(const nlohmann::json& j, tier_route& x) {
  json_reader in{j};
  in.only_keys({"tier", "params", "home_pool"});
  x.tier = in.string("tier", "");
  x.params.clear();
  if (in.has("params")) {
    if (!j.at("params").is_object())
      in.fail("params", "an object");
    x.params = j.at("params").dump();
  }
  x.home_pool = in.string("home_pool", "");
}

} // namespace herd
