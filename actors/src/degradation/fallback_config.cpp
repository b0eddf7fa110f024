#include "herd/degradation/fallback_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

const fallback_chain* fallback_config::chain_for(const std::string& kind) const {
  auto i = chains.find(kind);
  return i != chains.end() ? &i->second : nullptr;
}

fallback_config fallback_config::from_json(const json_reader& in,
                                           const std::set<std::string>& services) {
  fallback_config result;
  for (auto& kind : in.keys())
    result.chains.emplace(kind, fallback_chain::from_json(in.at(kind), services));
  return result;
}

nlohmann::json fallback_config::to_json() const {
  auto result = nlohmann::json::object();
  for (auto& [kind, chain] : chains)
    result[kind] = chain.to_json();
  return result;
}

} // namespace herd
