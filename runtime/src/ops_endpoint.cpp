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

#include "ask.hpp"
#include "dashboard_page.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_filter.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/dead_letters/replay_request.hpp"
#include "herd/runtime/runtime.hpp"
#include "ops_state.hpp"
#include "report_route.hpp"

namespace herd {

namespace {

/// How long a handler waits for an actor's answer.
constexpr auto ask_timeout = std::chrono::seconds(1);

/// Request bodies above this size are refused (413): no route needs more.
constexpr size_t max_body_bytes = 64 * 1024;

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}

/// True if `given` equals `secret`, in a time that does not depend on where they differ.
bool same_secret(const std::string& given, const std::string& secret) {
  if (given.size() != secret.size())
    return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ secret[i]);
  return diff == 0;
}

/// The request body as JSON (an empty body is an empty object); throws `config_error`.
nlohmann::json body_of(const httplib::Request& req) {
  if (req.body.empty())
    return nlohmann::json::object();
  return parse_json_text(req.body, "the request body");
}

} // namespace

struct ops_endpoint::impl {
  impl(runtime& rt, ops_endpoint_config config)
      : rt(rt), config(std::move(config)), reader(rt, ask_timeout) {}
  runtime& rt;
  ops_endpoint_config config;
  ops_state reader;
  httplib::Server server;
  std::thread thread;
  uint16_t port = 0;
  std::atomic<bool> finished{false};

  /// Why a state-changing request is refused (401/403 and a reason), or nullopt if it may go on.
  /// With `token_env` set, the request must carry `Authorization: Bearer <token>`; without it,
  /// only an endpoint on a loopback address takes state changes.
  std::optional<std::pair<int, std::string>> refusal(const httplib::Request& req) const {
    if (config.token_env.empty()) {
      if (config.loopback())
        return std::nullopt;
      return std::make_pair(403, std::string{"state changes on a non-loopback address need a "
                                             "bearer token (http.token_env)"});
    }
    const char* token = std::getenv(config.token_env.c_str());
    if (token == nullptr || *token == '\0')
      return std::make_pair(403, "the token variable " + config.token_env + " is not set");
    auto header = req.get_header_value("Authorization");
    const std::string scheme = "Bearer ";
    if (header.compare(0, scheme.size(), scheme) != 0 ||
        !same_secret(header.substr(scheme.size()), token))
      return std::make_pair(401, std::string{"missing or wrong bearer token"});
    return std::nullopt;
  }

  /// Registers a POST route that changes state: refused without the token, a body that is not
  /// JSON or names a bad field gets 400 with the JSON path.
  void post(const std::string& path,
            std::function<void(const nlohmann::json&, httplib::Response&)> handle) {
    server.Post(path, [this, handle](const httplib::Request& req, httplib::Response& res) {
      if (auto refused = refusal(req)) {
        send_error(res, refused->first, refused->second);
        return;
      }
      try {
        handle(body_of(req), res);
      } catch (const config_error& e) {
        send_error(res, 400, e.what());
      }
    });
  }

  void intake(bool paused, const nlohmann::json& body, httplib::Response& res) {
    json_reader in{body};
    in.only_keys({"reason"});
    auto reason = in.string("reason", "paused by an operator over HTTP");
    auto stats = paused ? rt.pause_intake(reason) : rt.resume_intake();
    if (!stats) {
      send_error(res, 503, rt.system().render(stats.error()));
      return;
    }
    send_json(res, 200, {{"paused", stats->intake_paused}, {"reason", stats->pause_reason}});
  }

  void replay(const nlohmann::json& body, httplib::Response& res) {
    json_reader in{body};
    in.only_keys({"ids", "all", "filter", "rate"});
    dead_letter_filter filter;
    auto choices =
        (in.has("ids") ? 1 : 0) + (in.has("filter") ? 1 : 0) + (in.boolean("all", false) ? 1 : 0);
    if (choices != 1)
      in.fail("exactly one of \"ids\", \"filter\" or \"all\": true (which letters to replay)");
    if (in.has("ids")) {
      std::vector<std::string> ids;
      for (auto& id : in.at("ids").elements()) {
        if (!id.value().is_string())
          id.fail("a task id (a string)");
        ids.push_back(id.value().get<std::string>());
      }
      filter = dead_letter_filter::of_ids(std::move(ids));
    } else if (in.has("filter")) {
      filter = dead_letter_filter::from_json(in.at("filter"));
    }
    auto rate = in.number("rate", 0, 0, 1e6);
    auto queue = rt.dead_letter_queue();
    if (!queue) {
      send_error(res, 404, "no dead-letter queue is configured (dead_letters)");
      return;
    }
    auto request = detail::ask<replay_request>(rt.system(), queue, ask_timeout,
                                               dlq_replay_atom::value, filter, rate);
    if (!request) {
      send_error(res, 503, rt.system().render(request.error()));
      return;
    }
    send_json(res, 202, *request);
  }
};

ops_endpoint::ops_endpoint(runtime& rt, ops_endpoint_config config)
    : impl_(new impl{rt, std::move(config)}) {
  auto& server = impl_->server;
  server.set_payload_max_length(max_body_bytes);
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    auto page = dashboard_page();
    // The page is self-contained: the browser may load nothing from elsewhere.
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                   "connect-src 'self'");
    res.set_content(page.data(), page.size(), "text/html; charset=utf-8");
  });
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
  impl_->post("/api/intake/pause", [this](const nlohmann::json& body, httplib::Response& res) {
    impl_->intake(true, body, res);
  });
  impl_->post("/api/intake/resume", [this](const nlohmann::json& body, httplib::Response& res) {
    impl_->intake(false, body, res);
  });
  impl_->post(
      "/api/dead-letters/replay",
      [this](const nlohmann::json& body, httplib::Response& res) { impl_->replay(body, res); });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404)
      send_error(res, 404, "no route " + req.method + " " + req.path);
    else if (res.body.empty())
      send_error(res, res.status, "HTTP status " + std::to_string(res.status));
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_error(res, 500, what);
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
  if (!impl_->config.loopback() && impl_->config.token_env.empty())
    std::cerr << "herd: warning: the HTTP endpoint listens on non-loopback " << host
              << " without a bearer token: it refuses every state change\n";
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
  auto host = impl_->config.host();
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(impl_->port);
}

nlohmann::json ops_endpoint::readiness() const {
  return impl_->reader.readiness();
}

nlohmann::json ops_endpoint::state() const {
  return impl_->reader.state();
}

} // namespace herd
