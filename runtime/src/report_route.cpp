#include "report_route.hpp"

#include <chrono>

#include "ask.hpp"
#include "herd/history/history_store.hpp"
#include "herd/history/protocol.hpp"
#include "herd/history/sla_report.hpp"
#include "herd/runtime/runtime.hpp"

namespace herd {

report_route_answer answer_report_request(runtime& rt, const std::optional<std::string>& since,
                                          int64_t now_ms) {
  auto db = rt.config().history_db();
  if (db.empty())
    return {404,
            {{"error", "the task history is off: configure \"dead_letters\" (it is kept in "
                       "their database) or \"history\": {\"db\": FILE}"}}};
  int64_t since_ms = 0;
  if (since) {
    auto parsed = sla_report::parse_since(*since, now_ms);
    if (!parsed)
      return {400,
              {{"error", "since: expected " + std::string{sla_report::since_formats()} +
                             ", got \"" + *since + "\""}}};
    since_ms = *parsed;
  }
  // What the recorder holds is committed first: the report includes tasks settled just now.
  if (auto recorder = rt.history_recorder())
    detail::ask<int64_t>(rt.system(), recorder, std::chrono::seconds(1), history_flush_atom::value);
  try {
    history_store store{db, history_store::open_mode::read_only};
    return {200, sla_report::of(store, since_ms, now_ms).to_json()};
  } catch (const std::exception& e) {
    return {503, {{"error", e.what()}}};
  }
}

} // namespace herd
