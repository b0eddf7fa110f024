#include "herd/dispatch/recycle_policy.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

bool recycle_policy::enabled() const {
  return max_tasks > 0 || max_age.count() > 0 || max_resident_bytes > 0;
}

std::string recycle_policy::due(int64_t tasks, duration age, uint64_t resident_bytes) const {
  if (max_tasks > 0 && tasks >= max_tasks)
    return "finished " + std::to_string(tasks) + " tasks (max_tasks " + std::to_string(max_tasks) +
           ")";
  if (max_age.count() > 0 && age >= max_age)
    return "lived " + std::to_string(to_ms(age)) + " ms (max_age " +
           std::to_string(to_ms(max_age)) + " ms)";
  if (max_resident_bytes > 0 && resident_bytes > max_resident_bytes)
    return "holds " + std::to_string(resident_bytes) + " resident bytes (max_resident_bytes " +
           std::to_string(max_resident_bytes) + ")";
  return {};
}

recycle_policy recycle_policy::from_json(const json_reader& in) {
  in.only_keys({"max_tasks", "max_age_ms", "max_resident_bytes"});
  recycle_policy r;
  r.max_tasks = in.integer("max_tasks", r.max_tasks, 0);
  r.max_age = in.millis("max_age_ms", r.max_age);
  r.max_resident_bytes = static_cast<uint64_t>(
      in.integer("max_resident_bytes", static_cast<int64_t>(r.max_resident_bytes), 0));
  return r;
}

nlohmann::json recycle_policy::to_json() const {
  return {{"max_tasks", max_tasks},
          {"max_age_ms", to_ms(max_age)},
          {"max_resident_bytes", max_resident_bytes}};
}

} // namespace herd
