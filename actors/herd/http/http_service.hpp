#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>

#include <caf/typed_event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/http/http_client.hpp"
#include "herd/http/http_codec.hpp"
#include "herd/http/protocol.hpp"

namespace herd {

class http_calls;

/// A downstream service reached over HTTP. It answers `(call_atom, request_json)` with an
/// `outcome`, like every herd service: its codec turns the request into an HTTP request and the
/// shared `http_client` runs it on its I/O thread, so no handler ever waits on the network.
/// When the exchange ends, the I/O thread decodes the response and answers the caller directly
/// (one hop fewer than a message back through this actor): the codec classifies the response
/// (429 with its Retry-After, 5xx, timeouts, ...) and the failure is stamped with the service's
/// name and the status code. Decoding on the I/O thread holds the client's other exchanges for
/// as long as it takes: microseconds for an LLM answer, tens of milliseconds for a body near
/// `http_client_config::max_response_bytes` (8 MiB by default); lower that limit for services
/// that could answer that much.
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
  /// Out of line: `http_calls` is complete only in the source.
  ~http_service() override;

  /// The actor's name in logs: "herd.http_service".
  const char* name() const override { return "herd.http_service"; }

  /// Ends every running call (see the class comment).
  void on_exit() override;

protected:
  behavior_type make_behavior() override;

private:
  caf::result<outcome> on_call(const std::string& request_json);
  void on_caller_down(const caf::down_msg& msg);

  std::string service_name_;
  std::shared_ptr<http_client> client_;
  std::shared_ptr<const http_codec> codec_;
  /// The calls waiting for their exchanges, shared with the completions on the I/O thread.
  std::shared_ptr<http_calls> calls_;
  /// Callers monitored until they go down: one monitor each, however many calls they make (a
  /// monitor per call would pile up on a long-lived agent).
  std::unordered_set<caf::actor_addr> callers_;
};

} // namespace herd
