#include "herd/dispatch/dispatcher_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

dispatcher_config dispatcher_config::from_json(const json_reader& in) {
  in.only_keys({"intake_capacity", "lease_timeout_ms", "max_requeues", "completed_capacity",
                "default_concurrency"});
  dispatcher_config result;
  result.intake_capacity = in.integer("intake_capacity", result.intake_capacity, 1);
  result.lease_timeout = in.millis("lease_timeout_ms", result.lease_timeout);
  if (result.lease_timeout.count() == 0)
    in.fail("lease_timeout_ms", "a duration in milliseconds > 0");
  result.max_requeues =
      static_cast<int32_t>(in.integer("max_requeues", result.max_requeues, 0, 1000000));
  result.completed_capacity = in.integer("completed_capacity", result.completed_capacity, 0);
  result.default_concurrency = static_cast<int32_t>(
      in.integer("default_concurrency", result.default_concurrency, 1, 1000000));
  return result;
}

nlohmann::json dispatcher_config::to_json() const {
  return {{"intake_capacity", intake_capacity},
          {"lease_timeout_ms", to_ms(lease_timeout)},
          {"max_requeues", max_requeues},
          {"completed_capacity", completed_capacity},
          {"default_concurrency", default_concurrency}};
}

} // namespace herd
