#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

namespace herd {

/// Counts of a dead-letter queue. The depth counts letters that wait for someone: pending,
/// replaying and poison (not replayed, not resolved).
struct dead_letter_stats {
  /// Every stored letter.
  int64_t total = 0;
  /// Letters that wait for someone (pending, replaying, poison).
  int64_t depth = 0;
  /// Letters by status name (every status, zero included).
  std::map<std::string, int64_t> by_status;
  /// Waiting letters (those of `depth`) by reason name.
  std::map<std::string, int64_t> by_reason;
  /// The store's last failure (file and problem) since its last successful write; empty while
  /// it works. Readiness checks read it. Default: empty.
  std::string store_error;
};

/// Field-wise equality.
bool operator==(const dead_letter_stats& x, const dead_letter_stats& y);

/// Makes `dead_letter_stats` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dead_letter_stats& x) {
  return f(caf::meta::type_name("herd::dead_letter_stats"), x.total, x.depth, x.by_status,
           x.by_reason, x.store_error);
}

/// JSON form: {"total", "depth", "by_status": {...}, "by_reason": {...}, "store_error"}.
void to_json(nlohmann::json& j, const dead_letter_stats& x);

} // namespace herd
