#include "herd/history/recovery_interval.hpp"

#include <algorithm>

#include "herd/core/enum_name.hpp"

namespace herd {

std::string to_string(recovery_subject x) {
  return x == recovery_subject::breaker ? "breaker" : "agent";
}

std::optional<recovery_subject> parse_recovery_subject(std::string_view name) {
  return parse_enum_name(name, {recovery_subject::breaker, recovery_subject::agent});
}

int64_t recovery_interval::duration_ms() const {
  return std::max(recovered_ms - went_down_ms, int64_t{0});
}

bool operator==(const recovery_interval& x, const recovery_interval& y) {
  return x.subject_type == y.subject_type && x.subject == y.subject &&
         x.went_down_ms == y.went_down_ms && x.recovered_ms == y.recovered_ms;
}

} // namespace herd
