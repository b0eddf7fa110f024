#include "herd/supervision/health_view.hpp"

#include <nlohmann/json.hpp>

namespace herd {

const agent_health* health_view::find(const std::string& name) const {
  for (auto& a : agents)
    if (a.name == name)
      return &a;
  return nullptr;
}

nlohmann::json health_view::to_json() const {
  auto list = nlohmann::json::array();
  for (auto& a : agents) {
    nlohmann::json j{{"name", a.name},
                     {"state", to_string(a.state)},
                     {"since_ms", to_epoch_ms(a.since)},
                     {"heartbeats", a.heartbeats},
                     {"last_seq", a.last_seq},
                     {"stuck_reports", a.stuck_reports},
                     {"last_heartbeat_ms", to_epoch_ms(a.last_heartbeat)},
                     {"silent_ms", to_ms(a.silent)}};
    if (a.board_watched)
      j["busy_ms"] = to_ms(a.busy);
    if (detector == failure_detector_kind::phi) {
      j["phi"] = a.phi;
    } else {
      j["phi"] = nullptr;
      j["missed_intervals"] = a.missed_intervals;
    }
    list.push_back(std::move(j));
  }
  return nlohmann::json{
      {"detector", to_string(detector)}, {"now_ms", to_epoch_ms(now)}, {"agents", std::move(list)}};
}

} // namespace herd
