#include "herd/dead_letters/dead_lettering.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

bool operator==(const dead_lettering& x, const dead_lettering& y) {
  return x.at_ms == y.at_ms && x.reason == y.reason && x.replays == y.replays &&
         x.last_attempt == y.last_attempt;
}

void to_json(nlohmann::json& j, const dead_lettering& x) {
  j = nlohmann::json{{"at_ms", x.at_ms},
                     {"reason", to_string(x.reason)},
                     {"replays", x.replays},
                     {"last_attempt", x.last_attempt}};
}

void from_json(const nlohmann::json& j, dead_lettering& x) {
  json_reader in{j};
  in.only_keys({"at_ms", "reason", "replays", "last_attempt"});
  x.at_ms = in.integer("at_ms", 0);
  auto reason = in.string("reason", "exhausted");
  if (auto r = parse_dead_letter_reason(reason))
    x.reason = *r;
  else
    in.fail("reason", "a dead-letter reason (exhausted, non_retryable, ...)");
  x.replays = static_cast<int32_t>(in.integer("replays", 0, 0, INT32_MAX));
  x.last_attempt = static_cast<int32_t>(in.integer("last_attempt", 0, 0, INT32_MAX));
}

} // namespace herd
