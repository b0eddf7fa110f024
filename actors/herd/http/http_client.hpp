#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "herd/http/http_client_config.hpp"
#include "herd/http/http_request.hpp"
#include "herd/http/http_response.hpp"

namespace herd {

/// What an `http_client` has done so far.
struct http_client_stats {
  /// Requests started.
  uint64_t started = 0;
  /// Requests ended (any way: response, transport error, cancelled).
  uint64_t finished = 0;
  /// Requests started and not yet ended.
  uint64_t in_flight = 0;
  /// Connections opened; `finished - connections_opened` exchanges reused a kept-alive one.
  uint64_t connections_opened = 0;
  /// Requests cancelled by the caller.
  uint64_t cancelled = 0;
};

/// A non-blocking HTTP/1.1 and HTTPS client: libcurl's multi interface on one I/O thread of its
/// own. `start` hands a request to that thread and returns at once; the completion callback runs
/// on the I/O thread when the exchange ends, so it must be short (an actor sends itself a
/// message). Connections are kept alive and reused, at most `max_connections_per_host` per host.
/// Thread-safe; one client is shared by every HTTP service of a runtime.
class http_client {
public:
  /// Called exactly once per started request, on the I/O thread, with its end.
  using completion = std::function<void(http_response)>;

  /// Starts the I/O thread.
  explicit http_client(http_client_config config = {});
  /// Stops (see `stop`).
  ~http_client();

  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Starts `request`; `done` runs once it ends. Never calls `done` inline. Returns the
  /// request's id (for `cancel`), never 0. After `stop`, `done` runs at once with
  /// `shutting_down`, on the caller's thread before `start` returns (no lock held, so this is
  /// safe from inside a completion too).
  uint64_t start(http_request request, completion done);
  /// Gives up on request `id`: its connection is closed and `done` runs with `cancelled`,
  /// unless it has ended already (then nothing happens).
  void cancel(uint64_t id);
  /// Ends every request still running (`done` runs with `shutting_down`) and joins the I/O
  /// thread. Idempotent. Called from inside a completion it does not wait: the I/O thread ends
  /// the others once that completion returns (a later `stop` or the destructor joins it). The
  /// client must not be destroyed from inside its own completion.
  void stop();

  /// Counters so far.
  http_client_stats stats() const;
  /// The configuration.
  const http_client_config& config() const;

private:
  class impl;
  std::unique_ptr<impl> impl_;
};

} // namespace herd
