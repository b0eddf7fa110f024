#pragma once

// A cpp-httplib server on 127.0.0.1 (a picked port) for tests of real HTTP exchanges: register
// routes on `server`, then `start()`. A handler that should hang calls `hold()`, which returns
// when the server is destroyed (or after 30 s), so teardown never waits for a hung handler.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>
#include <httplib.h>

namespace herd::test {

/// A loopback HTTP server running on a thread of its own.
class loopback_server {
public:
  loopback_server() = default;
  loopback_server(const loopback_server&) = delete;
  loopback_server& operator=(const loopback_server&) = delete;

  /// Stops (`stop()`).
  ~loopback_server() { stop(); }

  /// Releases held handlers, stops the server and joins its thread; idempotent. A server whose
  /// handlers use members of a derived class calls it in its own destructor, before they go.
  void stop() {
    {
      std::lock_guard<std::mutex> guard{release_mutex_};
      released_ = true;
    }
    release_cv_.notify_all();
    if (thread_.joinable()) {
      server.stop();
      thread_.join();
    }
  }

  /// Binds 127.0.0.1 on a free port and serves the routes registered so far.
  void start() {
    port = server.bind_to_any_port("127.0.0.1");
    BOOST_REQUIRE(port > 0);
    thread_ = std::thread([this] { server.listen_after_bind(); });
    // Server::stop before the listen loop runs would be lost (and the join would hang).
    for (int i = 0; i < 2000 && !server.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
    BOOST_REQUIRE(server.is_running());
  }

  /// Blocks a handler until the server goes down (at most 30 s).
  void hold() {
    std::unique_lock<std::mutex> lock{release_mutex_};
    release_cv_.wait_for(lock, std::chrono::seconds{30}, [this] { return released_; });
  }

  /// "http://127.0.0.1:PORT" + `path`.
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }

  /// The server: register routes before `start()`.
  httplib::Server server;
  /// The bound port (after `start()`).
  int port = 0;

private:
  std::thread thread_;
  std::mutex release_mutex_;
  std::condition_variable release_cv_;
  bool released_ = false;
};

} // namespace herd::test
