#include "herd/core/attempt_record.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/epoch_range.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

bool operator==(const attempt_record& x, const attempt_record& y) {
  return x.number == y.number && x.time == y.time && x.agent == y.agent && x.error == y.error &&
         x.tier == y.tier;
}

void to_json(nlohmann::json& j, const attempt_record& x) {
  j = nlohmann::json{{"number", x.number},
                     {"time_ms", to_epoch_ms(x.time)},
                     {"agent", x.agent},
                     {"error", x.error}};
  if (!x.tier.empty())
    j["tier"] = x.tier;
}

void from_json(const nlohmann::json& j, attempt_record& x) {
  json_reader in{j};
  in.only_keys({"number", "time_ms", "agent", "error", "tier"});
  x.number = static_cast<int32_t>(in.integer("number", 0, 0, INT32_MAX));
  x.time = from_epoch_ms(in.integer("time_ms", 0, -max_epoch_ms, max_epoch_ms));
  x.agent = in.string("agent", "");
  if (in.has("error"))
    from_json(j.at("error"), x.error);
  x.tier = in.string("tier", "");
}

} // namespace herd
