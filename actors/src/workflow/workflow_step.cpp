#include "herd/workflow/workflow_step.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

workflow_step workflow_step::from_json(const json_reader& in) {
  in.only_keys({"name", "kind", "pool", "service", "critical", "human", "compensation", "policy"});
  workflow_step result;
  result.name = in.string("name", "");
  result.kind = in.string("kind", "");
  result.pool = in.string("pool", result.pool);
  result.service = in.string("service", "");
  result.critical = in.boolean("critical", result.critical);
  result.human = in.boolean("human", result.human);
  result.compensation = in.string("compensation", "");
  if (in.has("policy")) {
    result.policy = failure_policy::from_json(in.at("policy"));
    result.own_policy = true;
  }
  return result;
}

bool operator==(const workflow_step& x, const workflow_step& y) {
  return x.name == y.name && x.kind == y.kind && x.pool == y.pool && x.service == y.service &&
         x.critical == y.critical && x.human == y.human && x.compensation == y.compensation &&
         x.own_policy == y.own_policy && x.policy == y.policy;
}

void to_json(nlohmann::json& j, const workflow_step& x) {
  j = {{"name", x.name},
       {"kind", x.kind},
       {"pool", x.pool},
       {"service", x.service},
       {"critical", x.critical},
       {"human", x.human},
       {"compensation", x.compensation}};
  if (x.own_policy)
    j["policy"] = x.policy.to_json();
}

} // namespace herd
