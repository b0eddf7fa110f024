#include "herd/workflow/workflow_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

workflow_config workflow_config::from_json(const json_reader& in) {
  in.only_keys({"db", "max_steps", "max_bytes", "warn_ratio", "poll_interval_ms"});
  workflow_config result;
  result.db = in.string("db", result.db);
  result.max_steps = static_cast<int32_t>(in.integer("max_steps", result.max_steps, 1, 1000000));
  result.max_bytes = in.integer("max_bytes", result.max_bytes, 1, INT64_MAX);
  result.warn_ratio = in.number("warn_ratio", result.warn_ratio, 0.0, 1.0);
  result.poll_interval = in.millis("poll_interval_ms", result.poll_interval);
  return result;
}

nlohmann::json workflow_config::to_json() const {
  return {{"db", db},
          {"max_steps", max_steps},
          {"max_bytes", max_bytes},
          {"warn_ratio", warn_ratio},
          {"poll_interval_ms", to_ms(poll_interval)}};
}

} // namespace herd
