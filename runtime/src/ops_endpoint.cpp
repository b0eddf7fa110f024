#include "herd/runtime/ops_endpoint.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>

#include <caf/all.hpp>
#include <httplib.h>

#include "herd/core/wall_time.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/supervision/protocol.hpp"
#include "report_route.hpp"

namespace herd {

namespace {

/// How long a handler waits for an actor's answer.
constexpr auto ask_timeout = std::chrono::seconds(1);

/// Asks `actor` for `Answer` with `ask_timeout`; nullopt on timeout or error.
template <class Answer, class Actor, class... Ts>
std::optional<Answer> ask_briefly(caf::actor_system& sys, const Actor& actor, Ts... xs) {
  if (!actor)
    return std::nullopt;
  std::optional<Answer> result;
  caf::scoped_actor self{sys};
  self->request(actor, ask_timeout, xs...)
      .receive([&](Answer& answer) { result = std::move(answer); }, [](caf::error&) {});
  return result;
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

} // namespace

struct ops_endpoint::impl {
  impl(runtime& rt, ops_endpoint_config config) : rt(rt), config(std::move(config)) {}
  runtime& rt;
  ops_endpoint_config config;
  httplib::Server server;
  std::thread thread;
  uint16_t port = 0;
  std::atomic<bool> finished{false};

  std::optional<health_view> health() {
    return ask_briefly<health_view>(rt.system(), caf::actor_cast<caf::actor>(rt.health_monitor()),
                                    health_atom::value);
  }

  std::optional<dispatcher_stats> stats() {
    return ask_briefly<dispatcher_stats>(rt.system(), caf::actor_cast<caf::actor>(rt.dispatcher()),
                                         dispatcher_stats_atom::value);
  }
};

ops_endpoint::ops_endpoint(runtime& rt, ops_endpoint_config config)
    : impl_(new impl{rt, std::move(config)}) {
  auto& server = impl_->server;
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(impl_->rt.metrics().prometheus(), "text/plain; version=0.0.4");
  });
  server.Get("/health/live", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, {{"status", "live"}});
  });
  server.Get("/health/ready", [this](const httplib::Request&, httplib::Response& res) {
    auto body = readiness();
    send_json(res, body["ready"].get<bool>() ? 200 : 503, body);
  });
  server.Get("/api/state", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, state());
  });
  server.Get("/api/report", [this](const httplib::Request& req, httplib::Response& res) {
    auto since =
        req.has_param("since") ? std::optional{req.get_param_value("since")} : std::nullopt;
    auto answer = answer_report_request(impl_->rt, since, wall_now_ms());
    send_json(res, answer.status, answer.body);
  });
}

ops_endpoint::~ops_endpoint() {
  stop();
}

uint16_t ops_endpoint::start() {
  if (impl_->thread.joinable())
    return impl_->port;
  auto host = impl_->config.host();
  auto wanted = impl_->config.port();
  auto token_set =
      !impl_->config.token_env.empty() && std::getenv(impl_->config.token_env.c_str()) != nullptr;
  if (!impl_->config.loopback() && !token_set)
    std::cerr << "herd: warning: the HTTP endpoint listens on non-loopback " << host
              << " without a bearer token\n";
  auto bound = wanted == 0 ? impl_->server.bind_to_any_port(host)
                           : (impl_->server.bind_to_port(host, wanted) ? wanted : -1);
  if (bound < 0)
    throw std::runtime_error("herd: cannot listen on " + impl_->config.listen);
  impl_->port = static_cast<uint16_t>(bound);
  impl_->finished = false;
  impl_->thread = std::thread{[this] {
    impl_->server.listen_after_bind();
    impl_->finished = true;
  }};
  // httplib's stop() does nothing before the server runs: a stop() right after start() must work.
  while (!impl_->server.is_running() && !impl_->finished)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return impl_->port;
}

void ops_endpoint::stop() {
  if (!impl_->thread.joinable())
    return;
  impl_->server.stop();
  impl_->thread.join();
}

uint16_t ops_endpoint::port() const {
  return impl_->port;
}

std::string ops_endpoint::url() const {
  return "http://" + impl_->config.host() + ":" + std::to_string(impl_->port);
}

nlohmann::json ops_endpoint::readiness() const {
  nlohmann::json reasons = nlohmann::json::array();
  size_t healthy = 0;
  if (auto view = impl_->health()) {
    for (auto& agent : view->agents)
      if (agent.state == health_state::healthy)
        ++healthy;
  } else {
    reasons.push_back("health monitor did not answer within 1 s");
  }
  if (healthy == 0)
    reasons.push_back("no healthy agent");
  if (!impl_->stats())
    reasons.push_back("dispatcher did not answer within 1 s (shutting down?)");
  return {{"ready", reasons.empty()}, {"reasons", reasons}, {"healthy_agents", healthy}};
}

nlohmann::json ops_endpoint::state() const {
  auto view = impl_->health();
  auto stats = impl_->stats();
  return {{"generated_at", format_utc(wall_now_ms())},
          {"agents", view ? view->to_json()["agents"] : nlohmann::json(nullptr)},
          {"dispatcher", stats ? stats->to_json() : nlohmann::json(nullptr)}};
}

} // namespace herd
