#pragma once

#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

namespace herd {

/// Where a task on a fallback chain runs its current attempt: the tier, the request parameters
/// that tier merges into its service requests, and the pool the submitter named while a rule
/// tier runs the task in another pool. All empty for a task without a chain.
struct tier_route {
  /// The label of the tier (its `served_by` name); empty = not on a chain. Default: empty.
  std::string tier;
  /// A JSON object (text) a service tier merges into each request (e.g. a cheaper model);
  /// empty = nothing to merge. Default: empty.
  std::string params;
  /// The pool the submitter named, kept while a rule tier runs the task in the rule's pool;
  /// empty = the task is in it. Default: empty.
  std::string home_pool;

  /// True if the task is on a chain tier.
  bool on_chain() const { return !tier.empty(); }
};

/// Field-wise equality.
bool operator==(const tier_route& x, const tier_route& y);

/// Makes `tier_route` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tier_route& x) {
  return f(caf::meta::type_name("herd::tier_route"), x.tier, x.params, x.home_pool);
}

/// JSON form: {"tier", "params" (an object, omitted when empty), "home_pool" (omitted when
/// empty)}.
void to_json(nlohmann::json& j, const tier_route& x);
/// Reads the JSON form; every field is optional.
void from_json(const nlohmann::json& j, tier_route& x);

} // namespace herd
