#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/http/http_client.hpp"
#include "herd/http/http_codec.hpp"
#include "herd/http/protocol.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// A downstream service reached over HTTP. It answers `(call_atom, request_json)` with an
/// `outcome`, like every herd service: its codec turns the request into an HTTP request, the
/// shared `http_client` runs it on its I/O thread, and the response comes back to this actor as
/// `(http_done_atom, tag, http_response)`, so no handler ever waits on the network. The codec
/// classifies the response (429 with its Retry-After, 5xx, timeouts, ...); this actor stamps
/// the failure with the service's name and the status code.
///
/// With a metrics registry it counts every exchange in `herd_http_requests_total{service,
/// result}` (result: the status code, or the transport error such as "timeout" or
/// "connection_refused") and times it in `herd_http_request_duration_seconds{service}`.
///
/// A call whose caller terminates before the answer is cancelled at the client (its connection
/// closed). When the service stops, calls still running are cancelled and answered as
/// `unavailable` ("service stopping"), never left without a reply.
class http_service : public http_service_actor::base {
public:
  /// A service named `name` (in failures and logs) speaking through `codec` over `client`,
  /// counting into `metrics` (default: none).
  http_service(caf::actor_config& cfg, std::string name, std::shared_ptr<http_client> client,
               std::shared_ptr<const http_codec> codec,
               std::shared_ptr<metrics_registry> metrics = nullptr);

  /// The actor's name in logs: "herd.http_service".
  const char* name() const override { return "herd.http_service"; }

  /// Ends every running call (see the class comment).
  void on_exit() override;

protected:
  behavior_type make_behavior() override;

private:
  /// A call waiting for its HTTP exchange.
  struct running_call {
    caf::typed_response_promise<outcome> promise;
    uint64_t client_id = 0;
    caf::actor_addr caller;
  };

  caf::result<outcome> on_call(const std::string& request_json);
  void on_done(uint64_t tag, http_response& response);
  void on_caller_down(const caf::down_msg& msg);
  outcome failed(failure why) const;
  /// Counts and times one exchange's end.
  void record(const http_response& response);

  std::string service_name_;
  std::shared_ptr<http_client> client_;
  std::shared_ptr<const http_codec> codec_;
  std::shared_ptr<spdlog::logger> log_;
  uint64_t next_tag_ = 1;
  std::unordered_map<uint64_t, running_call> running_;
  /// Callers monitored until they go down: one monitor each, however many calls they make (a
  /// monitor per call would pile up on a long-lived agent).
  std::unordered_set<caf::actor_addr> callers_;
  std::shared_ptr<metrics_registry> metrics_;
  /// The counter of each result seen so far (a status code, or minus a transport error), and
  /// the duration histogram (with `metrics_`).
  std::unordered_map<int32_t, counter*> requests_by_result_;
  histogram* durations_ = nullptr;
};

} // namespace herd
