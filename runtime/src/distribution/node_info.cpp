#include "herd/distribution/node_info.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/wall_time.hpp"

namespace herd {

nlohmann::json node_info::to_json() const {
  return {{"name", name},
          {"pool", pool},
          {"agents", agents},
          {"registered", registered_ms > 0 ? format_utc(registered_ms) : ""},
          {"last_contact", last_contact_ms > 0 ? format_utc(last_contact_ms) : ""},
          {"connected", connected},
          {"lost_reason", lost_reason}};
}

} // namespace herd
