#include "herd/mock_llm/mock_llm_server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "herd/mock_llm/mock_llm_answers.hpp"
#include "herd/mock_llm/mock_llm_faults.hpp"
#include "herd/mock_llm/mock_llm_stats.hpp"

namespace herd {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr auto slice = std::chrono::milliseconds{10};

/// The port and address of a socket address.
bool port_and_address(const sockaddr_storage& addr, int& port, std::string& address) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    port = ntohs(in.sin_port);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
  } else if (addr.ss_family == AF_INET6) {
    auto& in = reinterpret_cast<const sockaddr_in6&>(addr);
    port = ntohs(in.sin6_port);
    inet_ntop(AF_INET6, &in.sin6_addr, text, sizeof text);
  } else {
    return false;
  }
  address = text;
  return true;
}

/// The descriptors of this process's connections accepted on `local_port` whose peer matches
/// (`peer_port` 0: every peer). cpp-httplib does not hand its socket to handlers, and a reset
/// or a hang must act on it: the peer's port and address find it among our descriptors.
std::vector<int> connections_of(int local_port, const std::string& peer_address, int peer_port) {
  std::vector<int> result;
  auto* dir = opendir("/proc/self/fd");
  if (dir == nullptr)
    return result;
  while (auto* entry = readdir(dir)) {
    char* end = nullptr;
    auto fd = static_cast<int>(std::strtol(entry->d_name, &end, 10));
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir))
      continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    int port = 0;
    std::string address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        !port_and_address(local, port, address) || port != local_port)
      continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 ||
        !port_and_address(peer, port, address))
      continue;
    if (peer_port == 0 || (port == peer_port && address == peer_address))
      result.push_back(fd);
  }
  closedir(dir);
  return result;
}

/// Ends a connection at once (RST when the server closes it): no further bytes reach the peer.
void cut(int fd) {
  linger hard{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  shutdown(fd, SHUT_RDWR);
}

/// True if the peer closed its side of `fd`.
bool peer_left(int fd) {
  char byte;
  return recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

const char* malformed_body = "<html><body>mock-llm: this body is not JSON</body></html>";

} // namespace

struct mock_llm_server::impl {
  explicit impl(mock_llm_profile p) : profile(p), faults(p), answers(p) {}

  mock_llm_profile profile;
  /// The socket httplib listens on, once bound.
  int listening_socket = -1;
  std::mutex faults_mutex;
  mock_llm_faults faults;
  mock_llm_answers answers;
  mock_llm_stats stats;
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::atomic<bool> finished{false};
  std::string host;
  int port = 0;
  clock_type::time_point started;

  int64_t elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started)
        .count();
  }

  /// Waits `ms` in slices; false if the server stops meanwhile.
  bool pause(int64_t ms) {
    auto until = clock_type::now() + std::chrono::milliseconds{ms};
    while (clock_type::now() < until) {
      if (stopping)
        return false;
      std::this_thread::sleep_for(std::min<clock_type::duration>(slice, until - clock_type::now()));
    }
    return !stopping;
  }

  /// The descriptor of `req`'s connection, or -1.
  int connection(const httplib::Request& req) const {
    auto fds = connections_of(port, req.remote_addr, req.remote_port);
    return fds.empty() ? -1 : fds.front();
  }

  /// Closes `req`'s connection without a response.
  void drop(const httplib::Request& req, httplib::Response& res) const {
    auto fd = connection(req);
    if (fd >= 0)
      cut(fd);
    res.set_header("Connection", "close");
  }

  /// Waits until the client leaves or the server stops, then drops the connection.
  void hang(const httplib::Request& req, httplib::Response& res) {
    auto fd = connection(req);
    while (!stopping && !(fd >= 0 && peer_left(fd)))
      std::this_thread::sleep_for(slice);
    drop(req, res);
  }

  void serve_api(mock_llm_api api, const httplib::Request& req, httplib::Response& res) {
    auto elapsed = elapsed_ms();
    mock_llm_decision d;
    {
      std::lock_guard<std::mutex> guard{faults_mutex};
      d = faults.decide(elapsed, req.get_header_value("x-mock-fault"));
    }
    auto& f = d.fault;
    auto credential =
        req.get_header_value(api == mock_llm_api::openai ? "authorization" : "x-api-key");
    mock_llm_reply reply;
    if (f.kind == mock_llm_fault_kind::status)
      reply = mock_llm_answers::error(api, f.status, d.message);
    else
      reply = answers.answer(api, req.body, credential, std::time(nullptr));
    int status = reply.status;
    if (f.kind == mock_llm_fault_kind::hang || f.kind == mock_llm_fault_kind::reset)
      status = 0;
    else if (f.kind == mock_llm_fault_kind::malformed || f.kind == mock_llm_fault_kind::oversized)
      status = 200;
    stats.record(elapsed / 1000, status, to_string(f.kind), d.cause,
                 req.remote_addr + ":" + std::to_string(req.remote_port));
    if (f.latency_ms > 0 && !pause(f.latency_ms))
      return drop(req, res);
    for (auto& [name, value] : f.headers)
      res.set_header(name, value);
    res.status = status;
    switch (f.kind) {
    case mock_llm_fault_kind::hang:
      return hang(req, res);
    case mock_llm_fault_kind::reset:
      return drop(req, res);
    case mock_llm_fault_kind::truncated:
      return res.set_content(reply.body.substr(0, reply.body.size() / 2), "application/json");
    case mock_llm_fault_kind::malformed:
      return res.set_content(malformed_body, "application/json");
    case mock_llm_fault_kind::oversized:
      return oversize(res, static_cast<size_t>(f.oversized_bytes));
    case mock_llm_fault_kind::trickle:
      return trickle(res, std::move(reply.body), f.trickle_ms);
    default:
      for (auto& [name, value] : reply.headers)
        res.set_header(name, value);
      res.set_content(reply.body, "application/json");
    }
  }

  void oversize(httplib::Response& res, size_t bytes) {
    res.set_content_provider(bytes, "application/json",
                             [this](size_t, size_t length, httplib::DataSink& sink) {
                               static const std::string filler(64 * 1024, 'x');
                               if (stopping)
                                 return false;
                               return sink.write(filler.data(), std::min(length, filler.size()));
                             });
  }

  void trickle(httplib::Response& res, std::string body, int64_t pause_ms) {
    auto shared = std::make_shared<std::string>(std::move(body));
    auto piece = std::max<size_t>(1, (shared->size() + 7) / 8);
    res.set_content_provider(
        shared->size(), "application/json",
        [this, shared, piece, pause_ms](size_t offset, size_t length, httplib::DataSink& sink) {
          if (offset > 0 && !pause(pause_ms))
            return false;
          return sink.write(shared->data() + offset, std::min(piece, length));
        });
  }

  void close_connections() const {
    for (auto fd : connections_of(port, "", 0))
      cut(fd);
  }
};

mock_llm_server::mock_llm_server(mock_llm_profile profile) {
  profile.validate();
  impl_ = std::make_unique<impl>(std::move(profile));
  auto* self = impl_.get();
  auto& s = self->server;
  auto threads = static_cast<size_t>(self->profile.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_keep_alive_max_count(100000);
  s.set_keep_alive_timeout(30);
  s.set_tcp_nodelay(true);
  // httplib's default adds SO_REUSEPORT, which lets a second server share a port in use.
  s.set_socket_options([self](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    self->listening_socket = sock;
  });
  s.Post("/v1/chat/completions", [self](const httplib::Request& req, httplib::Response& res) {
    self->serve_api(mock_llm_api::openai, req, res);
  });
  s.Post("/v1/messages", [self](const httplib::Request& req, httplib::Response& res) {
    self->serve_api(mock_llm_api::anthropic, req, res);
  });
  s.Get("/stats", [self](const httplib::Request&, httplib::Response& res) {
    res.set_content(self->stats.to_json().dump(), "application/json");
  });
  s.Post("/stats/reset", [self](const httplib::Request&, httplib::Response& res) {
    self->stats.reset();
    res.set_content(R"({"reset": true})", "application/json");
  });
  s.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status": "ok"})", "application/json");
  });
}

mock_llm_server::~mock_llm_server() {
  stop();
}

int mock_llm_server::start(const std::string& host, int port) {
  auto& self = *impl_;
  if (self.thread.joinable() || self.stopping)
    throw std::runtime_error(self.stopping ? "mock-llm: a stopped server cannot start again"
                                           : "mock-llm: already started");
  std::signal(SIGPIPE, SIG_IGN);
  auto bound = port == 0 ? self.server.bind_to_any_port(host)
                         : (self.server.bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    throw std::runtime_error("mock-llm: cannot listen on " + host + ":" + std::to_string(port));
  // httplib listens with a backlog of 5: a burst of connects would have SYNs dropped and resent
  // a second later. Listening again on the bound socket raises the backlog (Linux).
  if (self.listening_socket >= 0)
    ::listen(self.listening_socket, 1024);
  self.host = host;
  self.port = bound;
  self.started = clock_type::now();
  self.thread = std::thread{[&self] {
    self.server.listen_after_bind();
    self.finished = true;
  }};
  // httplib's stop() does nothing before the server runs: a stop() right after start() must work.
  while (!self.server.is_running() && !self.finished)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return bound;
}

int mock_llm_server::port() const {
  return impl_->port;
}

nlohmann::json mock_llm_server::stats() const {
  return impl_->stats.to_json();
}

std::string mock_llm_server::url() const {
  auto& host = impl_->host;
  return "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(impl_->port);
}

void mock_llm_server::stop() {
  auto& self = *impl_;
  self.stopping = true;
  if (!self.thread.joinable())
    return;
  self.server.stop();
  // Idle keep-alive connections would hold their workers for the keep-alive timeout: cut them.
  while (!self.finished) {
    self.close_connections();
    std::this_thread::sleep_for(slice);
  }
  self.thread.join();
}

} // namespace herd
