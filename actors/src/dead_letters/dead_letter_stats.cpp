#include "herd/dead_letters/dead_letter_stats.hpp"

#include <nlohmann/json.hpp>

namespace herd {

bool operator==(const dead_letter_stats& x, const dead_letter_stats& y) {
  return x.total == y.total && x.depth == y.depth && x.by_status == y.by_status &&
         x.by_reason == y.by_reason && x.store_error == y.store_error;
}

void to_json(nlohmann::json& j, const dead_letter_stats& x) {
  j = nlohmann::json{{"total", x.total},
                     {"depth", x.depth},
                     {"by_status", x.by_status},
                     {"by_reason", x.by_reason},
                     {"store_error", x.store_error}};
}

} // namespace herd
