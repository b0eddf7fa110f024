#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/dead_letters/dead_letter_reason.hpp"

namespace herd {

/// One time a task was dead-lettered: a dead letter keeps every one of them, oldest first.
struct dead_lettering {
  /// Wall-clock UTC time it was dead-lettered (ms since the Unix epoch).
  int64_t at_ms = 0;
  /// Why. Default: exhausted.
  dead_letter_reason reason = dead_letter_reason::exhausted;
  /// The task's replay count at that time. Default: 0.
  int32_t replays = 0;
  /// The number of its last failed attempt (counting across replays). Default: 0.
  int32_t last_attempt = 0;
};

/// Field-wise equality.
bool operator==(const dead_lettering& x, const dead_lettering& y);

/// Makes `dead_lettering` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dead_lettering& x) {
  return f(caf::meta::type_name("herd::dead_lettering"), x.at_ms, x.reason, x.replays,
           x.last_attempt);
}

/// JSON form: {"at_ms", "reason", "replays", "last_attempt"}.
void to_json(nlohmann::json& j, const dead_lettering& x);
/// Reads the JSON form; throws `config_error` naming the bad field.
void from_json(const nlohmann::json& j, dead_lettering& x);

} // namespace herd
