#include "ops_state.hpp"

#include <map>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>

#include "ask.hpp"
#include "herd/admission/protocol.hpp"
#include "herd/breakers/breaker_status.hpp"
#include "herd/breakers/protocol.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_stats.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/degradation/call_guard.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/supervision/protocol.hpp"

namespace herd {

namespace {

/// "2026-12-01T03:00:00.000Z" for an actor-clock time, given the clocks' offset.
nlohmann::json utc(time_point t, duration offset) {
  if (t == time_point{})
    return nullptr;
  return format_utc(to_epoch_ms(t + offset));
}

/// The series of `metric` in a registry snapshot, by the value of their `service` label.
std::map<std::string, double> by_service(const nlohmann::json& snapshot,
                                         const std::string& metric) {
  std::map<std::string, double> result;
  auto family = snapshot.find(metric);
  if (family == snapshot.end())
    return result;
  for (auto& series : (*family)["series"]) {
    auto& labels = series["labels"];
    if (labels.contains("service") && series["value"].is_number())
      result[labels["service"].get<std::string>()] += series["value"].get<double>();
  }
  return result;
}

} // namespace

ops_state::ops_state(runtime& rt, duration timeout) : rt_(rt), timeout_(timeout) {
  // nop
}

nlohmann::json ops_state::readiness() const {
  auto& sys = rt_.system();
  nlohmann::json reasons = nlohmann::json::array();
  if (auto stats = detail::ask<dispatcher_stats>(sys, rt_.dispatcher(), timeout_,
                                                 dispatcher_stats_atom::value)) {
    if (stats->draining)
      reasons.push_back("shutting down: intake is closed");
    else if (stats->intake_paused)
      reasons.push_back("intake is paused: " + stats->pause_reason);
  } else {
    reasons.push_back("the dispatcher did not answer: " + rt_.system().render(stats.error()));
  }
  size_t healthy = 0;
  auto monitor = caf::actor_cast<caf::actor>(rt_.health_monitor());
  if (auto view = detail::ask<health_view>(sys, monitor, timeout_, health_atom::value)) {
    for (auto& agent : view->agents)
      healthy += agent.state == health_state::healthy ? 1 : 0;
    if (healthy == 0)
      reasons.push_back("no healthy agent");
  } else {
    reasons.push_back("the health monitor did not answer: " + rt_.system().render(view.error()));
  }
  if (rt_.config().dead_letters) {
    auto stats = detail::ask<dead_letter_stats>(sys, rt_.dead_letter_queue(), timeout_,
                                                dlq_stats_atom::value);
    if (!stats)
      reasons.push_back("the dead-letter store failed: " + rt_.system().render(stats.error()));
    else if (!stats->store_error.empty())
      reasons.push_back("the dead-letter store failed: " + stats->store_error);
  }
  return {{"ready", reasons.empty()}, {"reasons", reasons}, {"healthy_agents", healthy}};
}

nlohmann::json ops_state::state() const {
  auto stats = detail::ask<dispatcher_stats>(rt_.system(), rt_.dispatcher(), timeout_,
                                             dispatcher_stats_atom::value);
  nlohmann::json intake = nullptr;
  if (stats)
    intake = {{"paused", stats->intake_paused},
              {"reason", stats->pause_reason},
              {"draining", stats->draining}};
  return {{"generated_at", format_utc(wall_now_ms())},
          {"intake", intake},
          {"agents", agents()},
          {"dispatcher", stats ? stats->to_json() : nlohmann::json(nullptr)},
          {"breakers", breakers()},
          {"retry_queue", retry_queue()},
          {"admission", admission()},
          {"dead_letters", dead_letters()},
          {"escalations", {{"open", rt_.metrics().total("herd_escalations_open")}}},
          {"budgets", rt_.guard()->budgets_json(wall_now_ms())},
          {"nodes", nodes()}};
}

nlohmann::json ops_state::nodes() const {
  if (rt_.node_port() == 0)
    return nullptr; // no node endpoint: a single-process runtime
  auto result = nlohmann::json::array();
  for (auto& node : rt_.nodes())
    result.push_back(node.to_json());
  return result;
}

nlohmann::json ops_state::agents() const {
  auto monitor = caf::actor_cast<caf::actor>(rt_.health_monitor());
  auto view = detail::ask<health_view>(rt_.system(), monitor, timeout_, health_atom::value);
  if (!view)
    return nullptr;
  auto offset = wall_offset(view->now, wall_now_ms());
  auto result = nlohmann::json::array();
  for (auto& agent : view->agents)
    result.push_back({{"name", agent.name},
                      {"state", to_string(agent.state)},
                      {"since", utc(agent.since, offset)},
                      {"last_heartbeat", utc(agent.last_heartbeat, offset)},
                      {"silent_ms", to_ms(agent.silent)},
                      {"heartbeats", agent.heartbeats},
                      {"stuck_reports", agent.stuck_reports}});
  return result;
}

nlohmann::json ops_state::breakers() const {
  auto& sys = rt_.system();
  auto list =
      detail::ask<std::vector<caf::actor>>(sys, rt_.breakers(), timeout_, breaker_list_atom::value);
  if (!list)
    return nullptr;
  auto now_ms = wall_now_ms();
  auto result = nlohmann::json::array();
  for (auto& breaker : *list) {
    auto status = detail::ask<breaker_status>(sys, breaker, timeout_, breaker_status_atom::value);
    if (!status)
      continue; // gone since the list was made
    nlohmann::json next_probe = nullptr;
    if (status->state == breaker_state::open)
      next_probe = format_utc(now_ms + to_ms(status->until_probe));
    result.push_back({{"key", status->key},
                      {"service", status->service},
                      {"state", to_string(status->state)},
                      {"next_probe", next_probe},
                      {"failure_rate", status->failure_rate},
                      {"window_calls", status->window_calls},
                      {"forwarded", status->forwarded},
                      {"rejected", status->rejected},
                      {"openings", status->openings}});
  }
  return result;
}

nlohmann::json ops_state::retry_queue() const {
  auto snapshot = rt_.metrics().snapshot();
  auto held = by_service(snapshot, "herd_retries_held_by_breaker");
  auto budget_wait = by_service(snapshot, "herd_retries_waiting_for_budget");
  auto tokens = by_service(snapshot, "herd_retry_budget_tokens");
  auto rates = by_service(snapshot, "herd_retry_rate");
  auto oldest = by_service(snapshot, "herd_retry_oldest_age_seconds");
  auto services = nlohmann::json::array();
  for (auto& [service, rate] : rates)
    services.push_back({{"service", service},
                        {"held_by_breaker", held[service]},
                        {"waiting_for_budget", budget_wait[service]},
                        {"budget_tokens", tokens[service]},
                        {"rate", rate},
                        {"oldest_age_s", oldest[service]}});
  return {{"waiting", rt_.metrics().total("herd_retry_queue_depth")},
          {"held", rt_.metrics().total("herd_retry_held")},
          {"services", services}};
}

nlohmann::json ops_state::admission() const {
  auto result = nlohmann::json::array();
  for (auto& service : rt_.services()) {
    auto stats = detail::ask<admission_stats>(rt_.system(), rt_.admission(service), timeout_,
                                              admission_stats_atom::value);
    if (stats)
      result.push_back(*stats);
  }
  return result;
}

nlohmann::json ops_state::dead_letters() const {
  if (!rt_.config().dead_letters)
    return {{"configured", false}};
  auto stats = detail::ask<dead_letter_stats>(rt_.system(), rt_.dead_letter_queue(), timeout_,
                                              dlq_stats_atom::value);
  if (!stats)
    return {{"configured", true}, {"error", rt_.system().render(stats.error())}};
  nlohmann::json result = *stats;
  result["configured"] = true;
  return result;
}

} // namespace herd
