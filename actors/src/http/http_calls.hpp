#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/message_id.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/outcome.hpp"
#include "herd/http/http_codec.hpp"
#include "herd/http/http_response.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// The calls of one `http_service` waiting for their HTTP exchanges. The service adds each call
/// with the address its answer goes to; the client's I/O thread ends it when the exchange ends
/// (counts and times it, decodes the response and sends the outcome straight to the caller,
/// without a hop through the service's mailbox); the service drops the calls of a caller that
/// went down and ends the rest when it stops. Whoever takes a call out of the table first ends
/// it, so every call is answered at most once, and exactly once unless its caller is gone.
/// Thread-safe; shared by the service and the completions of its exchanges, so a completion
/// that runs after the service stopped touches nothing of the service.
class http_calls {
public:
  /// The calls of service `name`, decoded by `codec`, answered in the name of `service` (whose
  /// weak reference does not keep it alive), counted into `metrics` (may be null).
  http_calls(std::string name, std::shared_ptr<const http_codec> codec, caf::weak_actor_ptr service,
             const std::shared_ptr<metrics_registry>& metrics);

  /// Adds the call that `request` (the service's current message) makes; its answer goes where
  /// that message's reply goes (nowhere for an asynchronous message). Returns its tag.
  uint64_t add(const caf::mailbox_element& request);
  /// Notes that call `tag` runs as the client's request `client_id` (nothing if it ended).
  void started(uint64_t tag, uint64_t client_id);
  /// Ends call `tag` with `response` (on the client's I/O thread, or on the service's when the
  /// client had stopped); nothing if the call was dropped or ended.
  void complete(uint64_t tag, const http_response& response);
  /// Forgets the calls of `caller` (it went down; nobody waits for their answers) and returns
  /// the client's ids of those still running, to cancel.
  std::vector<uint64_t> drop_caller(const caf::actor_addr& caller);
  /// Answers every call with `result` and returns the client's ids of those running.
  std::vector<uint64_t> end_all(const outcome& result);

private:
  /// Where a call's answer goes and which client request runs it.
  struct waiting_call {
    caf::strong_actor_ptr reply_to;
    caf::message_id reply_id;
    caf::mailbox_element::forwarding_stack stages;
    caf::actor_addr caller;
    uint64_t client_id = 0;
  };

  /// Sends `result` where `call`'s answer goes.
  void reply(waiting_call& call, outcome result) const;
  /// The counter of `response`'s result in herd_http_requests_total (null without metrics);
  /// the caller holds `mtx_`, which guards the cache of counters too.
  counter* requests_counter(const http_response& response);

  std::string service_name_;
  std::shared_ptr<const http_codec> codec_;
  caf::weak_actor_ptr service_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<metrics_registry> metrics_;
  /// The counter of each result seen so far (a status code, or minus a transport error), and
  /// the duration histogram (with `metrics_`).
  std::unordered_map<int32_t, counter*> requests_by_result_;
  histogram* durations_ = nullptr;

  std::mutex mtx_;
  uint64_t next_tag_ = 1;
  std::unordered_map<uint64_t, waiting_call> calls_;
};

} // namespace herd
