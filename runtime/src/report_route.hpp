#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace herd {

class runtime;

/// An HTTP answer: status and JSON body.
struct report_route_answer {
  /// The HTTP status: 200, 400 (a bad `since`), 404 (history off), 503 (store not usable).
  int status = 200;
  /// The SLA report's JSON (`sla_report::to_json`), or {"error": why}.
  nlohmann::json body;
};

/// Answers `GET /api/report[?since=...]` for `rt` at `now_ms`: asks the history recorder to
/// commit what it holds (1 s at most), then reads the history read-only. `since` is an age
/// ("24h") or an ISO-8601 UTC time; none = everything kept.
report_route_answer answer_report_request(runtime& rt, const std::optional<std::string>& since,
                                          int64_t now_ms);

} // namespace herd
