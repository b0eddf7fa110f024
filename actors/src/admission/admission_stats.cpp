#include "herd/admission/admission_stats.hpp"

#include <nlohmann/json.hpp>

namespace herd {

void to_json(nlohmann::json& j, const admission_stats& x) {
  j = nlohmann::json{{"service", x.service},
                     {"rate_per_s", nullptr},
                     {"source", to_string(x.source)},
                     {"queued", x.queued},
                     {"in_flight", x.in_flight},
                     {"concurrency_limit", x.concurrency_limit},
                     {"admitted", x.admitted},
                     {"waited", x.waited},
                     {"rejected",
                      {{"queue_full", x.rejected_queue_full},
                       {"wait", x.rejected_wait},
                       {"deadline", x.rejected_deadline},
                       {"breaker_open", x.rejected_breaker_open}}},
                     {"throttled", x.throttled}};
  if (x.rate_per_s >= 0)
    j["rate_per_s"] = x.rate_per_s;
}

} // namespace herd
