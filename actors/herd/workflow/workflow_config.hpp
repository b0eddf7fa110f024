#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How workflows are run and stored; the one home of their defaults. JSON section "workflows".
struct workflow_config {
  /// The SQLite file of the runs; empty = the dead-letter database (`dead_letters.db`).
  /// Default: empty.
  std::string db;
  /// Step executions (tasks, escalations; compensations are not capped) one run may take; a
  /// run that would take more fails at that step. Default: 1000.
  int32_t max_steps = 1000;
  /// Bytes one run may store (input and results); a result that would pass it fails its step
  /// and the run. Default: 10 MiB.
  int64_t max_bytes = 10LL * 1024 * 1024;
  /// The share of a cap at which a run is warned about (log, metric, event), once per cap.
  /// Default: 0.8.
  double warn_ratio = 0.8;
  /// How often the driver picks up `herd workflow resume|cancel` commands and resolutions made
  /// with `herd escalations resolve`; 0 = never (tests poll by hand). Default: 1 s.
  duration poll_interval = from_ms(1000);

  /// Reads {"db", "max_steps", "max_bytes", "warn_ratio", "poll_interval_ms"}; absent keys
  /// keep their defaults; errors name the JSON path.
  static workflow_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
