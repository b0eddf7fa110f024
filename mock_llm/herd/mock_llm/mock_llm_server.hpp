#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "herd/mock_llm/mock_llm_profile.hpp"

namespace herd {

/// `herd mock-llm` in-process: an OpenAI- and Anthropic-compatible HTTP server (cpp-httplib) on
/// its own threads that answers deterministically and injects the faults of its profile.
///
///     POST /v1/chat/completions   OpenAI chat completions (mock_llm_answers)
///     POST /v1/messages           Anthropic messages
///     GET  /stats                 what it received (mock_llm_stats); POST /stats/reset clears
///     GET  /health                200 {"status": "ok"}
///
/// Each API call gets a decision from mock_llm_faults (the `x-mock-fault` request header picks
/// one call's fault: see mock_llm_fault). Connections are kept alive for up to 100000 requests.
/// Starting it ignores SIGPIPE in the whole process (a reset connection must not kill it).
class mock_llm_server {
public:
  /// A server with the faults of `profile` (validated), not yet listening.
  explicit mock_llm_server(mock_llm_profile profile = {});
  /// Stops it.
  ~mock_llm_server();

  mock_llm_server(const mock_llm_server&) = delete;
  mock_llm_server& operator=(const mock_llm_server&) = delete;

  /// Binds `host`:`port` (0: a free port) and serves on its own thread; returns the port.
  /// Throws std::runtime_error when it cannot bind, is already started or was stopped. The clock of
  /// the profile's outages, capacity windows and /stats seconds starts here.
  int start(const std::string& host = "127.0.0.1", int port = 0);
  /// The bound port; 0 before start.
  int port() const;
  /// "http://HOST:PORT", the base URL clients use.
  std::string url() const;
  /// Stops serving and joins its threads, promptly also while calls hang or trickle: they stop
  /// within about 10 ms and their connections are closed. Idempotent.
  void stop();
  /// What it received so far, as `GET /stats` answers it (see mock_llm_stats::to_json).
  nlohmann::json stats() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace herd
