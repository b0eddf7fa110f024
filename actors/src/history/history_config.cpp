#include "herd/history/history_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/core/wall_time.hpp"

namespace herd {

namespace {

/// `ms` as the largest whole unit `parse_age_ms` reads back: "30d", "12h", "90m", "45s", "5ms".
std::string age_text(int64_t ms) {
  struct unit {
    int64_t ms;
    const char* suffix;
  };
  for (auto u : {unit{86400000, "d"}, unit{3600000, "h"}, unit{60000, "m"}, unit{1000, "s"}})
    if (ms > 0 && ms % u.ms == 0)
      return std::to_string(ms / u.ms) + u.suffix;
  return std::to_string(ms) + "ms";
}

} // namespace

history_config history_config::from_json(const json_reader& in) {
  in.only_keys({"db", "retention", "flush_interval_ms", "max_batch"});
  history_config result;
  result.db = in.string("db", result.db);
  if (in.has("retention")) {
    auto text = in.string("retention", "");
    auto ms = parse_age_ms(text);
    if (!ms || *ms <= 0)
      in.fail("retention", "an age such as \"30d\", \"12h\" or \"90m\" (more than 0)");
    result.retention = from_ms(*ms);
  }
  result.flush_interval = in.millis("flush_interval_ms", result.flush_interval);
  if (result.flush_interval.count() == 0)
    in.fail("flush_interval_ms", "a duration in milliseconds > 0");
  result.max_batch = in.integer("max_batch", result.max_batch, 1, 1000000);
  return result;
}

nlohmann::json history_config::to_json() const {
  return {{"db", db},
          {"retention", age_text(to_ms(retention))},
          {"flush_interval_ms", to_ms(flush_interval)},
          {"max_batch", max_batch}};
}

} // namespace herd
