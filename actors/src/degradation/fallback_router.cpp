#include "herd/degradation/fallback_router.hpp"

#include <algorithm>
#include <vector>

namespace herd {

std::optional<size_t> fallback_router::tier_index(const fallback_chain& chain,
                                                  const std::string& label) {
  if (label.empty())
    return std::nullopt;
  for (size_t i = 0; i < chain.tiers.size(); ++i)
    if (chain.tiers[i].label == label)
      return i;
  return std::nullopt;
}

size_t fallback_router::position_of(const fallback_chain& chain, const task& t) {
  return tier_index(chain, t.route.tier).value_or(0);
}

time_point fallback_router::deadline_of(const task& t, const failure_policy& policy) {
  auto result = t.deadline;
  if (policy.retry_deadline.count() > 0 && t.created != time_point{}) {
    auto retry_end = t.created + policy.retry_deadline;
    if (result == time_point{} || retry_end < result)
      result = retry_end;
  }
  return result;
}

size_t fallback_router::run_start(const task& t) {
  for (auto i = t.history.size(); i-- > 0;)
    if (t.history[i].number <= 1)
      return i;
  return 0;
}

bool fallback_router::made_no_call(const task& t) {
  for (auto i = run_start(t); i < t.history.size(); ++i) {
    const auto& why = t.history[i].error;
    if (why.category != failure_category::circuit_open && !why.refused_locally())
      return false;
  }
  return true;
}

chain_planner fallback_router::planner_for(const fallback_chain& chain,
                                           const failure_policy& policy, const task& t,
                                           size_t position, bool awaiting, bool fresh) {
  chain_planner result{chain, policy, deadline_of(t, policy)};
  std::vector<int32_t> attempts(chain.tiers.size(), 0);
  auto run = fresh ? t.history.size() : run_start(t);
  for (auto i = run; i < t.history.size(); ++i)
    if (auto tier = tier_index(chain, t.history[i].tier);
        tier && !t.history[i].error.refused_locally()) // a call never made is not an attempt
      ++attempts[*tier];
  result.resume(attempts, std::min(position, chain.tiers.size() - 1), awaiting);
  return result;
}

void fallback_router::place(task& t, const fallback_chain& chain, size_t index) {
  const auto& tier = chain.tiers.at(index);
  t.route.tier = tier.label;
  switch (tier.kind) {
  case tier_kind::service:
    t.service = tier.target;
    t.route.params = tier.params.empty() ? std::string{} : tier.params.dump();
    if (!t.route.home_pool.empty())
      t.pool = std::move(t.route.home_pool);
    t.route.home_pool.clear();
    break;
  case tier_kind::rule:
    t.service.clear();
    t.route.params.clear();
    if (t.route.home_pool.empty())
      t.route.home_pool = t.pool;
    t.pool = tier.target;
    break;
  case tier_kind::human:
    t.route.params.clear();
    if (!t.route.home_pool.empty())
      t.pool = std::move(t.route.home_pool);
    t.route.home_pool.clear();
    break;
  }
}

void fallback_router::leave(task& t) {
  t.route.tier.clear();
  t.route.params.clear();
  if (!t.route.home_pool.empty())
    t.pool = std::move(t.route.home_pool);
  t.route.home_pool.clear();
}

} // namespace herd
