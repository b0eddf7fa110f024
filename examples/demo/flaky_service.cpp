#include "demo/flaky_service.hpp"

#include "herd/core/atoms.hpp"

namespace herd::cli {

flaky_service::flaky_service(caf::actor_config& cfg, flaky_service_profile profile)
    : caf::event_based_actor(cfg), profile_(std::move(profile)), rng_(profile_.seed) {}

caf::behavior flaky_service::make_behavior() {
  started_ = clock().now();
  return {
      [this](call_atom, const std::string&) -> caf::result<outcome> {
        auto promise = make_response_promise<outcome>();
        auto id = ++next_id_;
        waiting_.emplace(id, promise);
        std::uniform_int_distribution<int64_t> latency{profile_.min_latency.count(),
                                                       profile_.max_latency.count()};
        delayed_send(this, duration{latency(rng_)}, tick_atom::value, id);
        return promise;
      },
      [this](tick_atom, uint64_t id) {
        auto i = waiting_.find(id);
        if (i == waiting_.end())
          return;
        i->second.deliver(answer());
        waiting_.erase(i);
      },
  };
}

outcome flaky_service::answer() {
  auto since_start = clock().now() - started_;
  auto fail = [this](failure f, int status) {
    f.from(profile_.name, status);
    return outcome::fail(std::move(f));
  };
  if (since_start >= profile_.outage_start &&
      since_start < profile_.outage_start + profile_.outage_length)
    return fail(failure::unavailable("service outage"), 503);
  std::uniform_real_distribution<double> coin{0.0, 1.0};
  if (coin(rng_) >= profile_.failure_rate)
    return outcome::success({{"completion", "ok"}});
  auto kind = coin(rng_);
  if (kind < 0.5)
    return fail(failure::rate_limited("too many requests", from_ms(1000)), 429);
  if (kind < 0.75)
    return fail(failure::unavailable("overloaded"), 503);
  if (kind < 0.9)
    return fail(failure::timeout("upstream timed out"), 504);
  return fail(failure::permanent("invalid request"), 400);
}

} // namespace herd::cli
