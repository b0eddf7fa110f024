#pragma once

#include <cstdint>
#include <random>
#include <unordered_map>

#include <caf/event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "herd/core/outcome.hpp"
#include "herd/core/time.hpp"

namespace herd::cli {

/// How the demo's simulated downstream service (an LLM API) misbehaves.
struct flaky_service_profile {
  /// The service's name. Default: "llm-api".
  std::string name = "llm-api";
  /// Share of calls that fail outside outages. Default: 0.2.
  double failure_rate = 0.2;
  /// Fastest answer. Default: 2 ms.
  duration min_latency = from_ms(2);
  /// Slowest answer. Default: 20 ms.
  duration max_latency = from_ms(20);
  /// When the outage starts, after the service's start. Default: 300 ms.
  duration outage_start = from_ms(300);
  /// How long every call fails with 503. Default: 400 ms.
  duration outage_length = from_ms(400);
  /// Seed of its random choices. Default: 1.
  uint64_t seed = 1;
};

/// A simulated downstream service: answers `(call_atom, request)` with an outcome after a
/// random latency; fails a share of calls as 429 (with Retry-After), 503, 504 or 400, and
/// every call during its outage window as 503.
class flaky_service : public caf::event_based_actor {
public:
  /// A service behaving as `profile` says.
  flaky_service(caf::actor_config& cfg, flaky_service_profile profile);

  const char* name() const override { return "herd.flaky_service"; }

protected:
  caf::behavior make_behavior() override;

private:
  outcome answer();

  flaky_service_profile profile_;
  std::mt19937_64 rng_;
  time_point started_;
  uint64_t next_id_ = 0;
  std::unordered_map<uint64_t, caf::typed_response_promise<outcome>> waiting_;
};

} // namespace herd::cli
