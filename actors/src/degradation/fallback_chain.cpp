#include "herd/degradation/fallback_chain.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

bool fallback_chain::moves_on(const failure& why) const {
  if (std::find(move_on.begin(), move_on.end(), why.category) == move_on.end())
    return false;
  return why.category != failure_category::rate_limited || why.retry_after > max_rate_limit_wait;
}

int32_t fallback_chain::attempts_on(size_t index) const {
  const auto& tier = tiers.at(index);
  switch (tier.kind) {
  case tier_kind::service:
    return tier.max_attempts > 0 ? tier.max_attempts : attempts_per_tier;
  case tier_kind::rule:
    return 1;
  case tier_kind::human:
    return 0;
  }
  return 0;
}

fallback_chain fallback_chain::from_json(const json_reader& in,
                                         const std::set<std::string>& services) {
  in.only_keys({"tiers", "move_on", "max_rate_limit_wait_ms", "attempts_per_tier",
                "park_when_unavailable", "recheck_ms"});
  if (!in.has("tiers"))
    in.fail("tiers", "a list of tiers");
  fallback_chain result;
  auto tiers = in.at("tiers");
  if (!tiers.value().is_array() || tiers.value().empty())
    in.fail("tiers", "a non-empty list of tiers");
  for (auto& element : tiers.elements()) {
    auto tier = fallback_tier::from_json(element);
    if (tier.kind == tier_kind::service && services.count(tier.target) == 0)
      element.fail("service", "a known service");
    if (!result.tiers.empty() && result.tiers.back().kind == tier_kind::human)
      throw config_error(element.path(), "follows a human tier, so it would never be reached");
    for (size_t i = 0; i < result.tiers.size(); ++i) {
      auto earlier = tiers.path() + "/" + std::to_string(i);
      if (result.tiers[i].same_target(tier))
        throw config_error(element.path(),
                           "repeats tier " + earlier + " (a chain must not come back to a tier)");
      if (result.tiers[i].label == tier.label)
        throw config_error(element.path(), "has the label \"" + tier.label + "\" of tier " +
                                               earlier + "; give it a \"name\" of its own");
    }
    result.tiers.push_back(std::move(tier));
  }
  if (in.has("move_on"))
    result.move_on = read_failure_categories(in.at("move_on"));
  result.max_rate_limit_wait = in.millis("max_rate_limit_wait_ms", result.max_rate_limit_wait);
  result.attempts_per_tier =
      static_cast<int32_t>(in.integer("attempts_per_tier", result.attempts_per_tier, 1, 1000000));
  result.park_when_unavailable = in.boolean("park_when_unavailable", result.park_when_unavailable);
  result.recheck = in.millis("recheck_ms", result.recheck);
  if (result.recheck.count() <= 0)
    in.fail("recheck_ms", "a duration above 0 ms");
  return result;
}

nlohmann::json fallback_chain::to_json() const {
  auto tier_list = nlohmann::json::array();
  for (auto& tier : tiers)
    tier_list.push_back(tier.to_json());
  auto categories = nlohmann::json::array();
  for (auto category : move_on)
    categories.push_back(to_string(category));
  return {{"tiers", tier_list},
          {"move_on", categories},
          {"max_rate_limit_wait_ms", to_ms(max_rate_limit_wait)},
          {"attempts_per_tier", attempts_per_tier},
          {"park_when_unavailable", park_when_unavailable},
          {"recheck_ms", to_ms(recheck)}};
}

} // namespace herd
