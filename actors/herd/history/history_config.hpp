#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How the task history is recorded (for `herd report` and `GET /api/report`). The one home of
/// its defaults; JSON section "history" (`"history": false` turns it off).
struct history_config {
  /// The SQLite file; empty = the dead-letter database (`dead_letters.db`). Default: empty.
  std::string db;
  /// How long settled tasks and recoveries are kept; older rows are deleted. Default: 30 days.
  duration retention = from_ms(30LL * 24 * 3600 * 1000);
  /// The longest a settled task waits in memory before its batch is committed. Default: 100 ms.
  duration flush_interval = from_ms(100);
  /// Rows that are committed at once without waiting for the interval. Default: 256.
  int64_t max_batch = 256;

  /// Reads {"db", "retention" (an age: "30d", "12h", "90m"), "flush_interval_ms", "max_batch"};
  /// absent keys keep their defaults; errors name the JSON path.
  static history_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
