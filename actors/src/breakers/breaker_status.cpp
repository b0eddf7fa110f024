#include "herd/breakers/breaker_status.hpp"

#include <nlohmann/json.hpp>

namespace herd {

void to_json(nlohmann::json& j, const breaker_status& x) {
  j = {{"key", x.key},
       {"service", x.service},
       {"state", to_string(x.state)},
       {"generation", x.generation},
       {"window_calls", x.window_calls},
       {"failure_rate", x.failure_rate},
       {"slow_call_rate", x.slow_call_rate},
       {"consecutive_failures", x.consecutive_failures},
       {"forwarded", x.forwarded},
       {"rejected", x.rejected},
       {"until_probe_ms", to_ms(x.until_probe)},
       {"openings", x.openings}};
}

} // namespace herd
