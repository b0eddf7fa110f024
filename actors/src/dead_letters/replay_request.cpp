#include "herd/dead_letters/replay_request.hpp"

#include <nlohmann/json.hpp>

namespace herd {

void to_json(nlohmann::json& j, const replay_request& x) {
  j = nlohmann::json{{"id", x.id},
                     {"filter", x.filter.to_json()},
                     {"rate", x.rate},
                     {"state", x.state},
                     {"total", x.total},
                     {"sent", x.sent},
                     {"requested_ms", x.requested_ms},
                     {"updated_ms", x.updated_ms}};
}

} // namespace herd
