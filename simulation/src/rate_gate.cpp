#include "herd/simulation/rate_gate.hpp"

#include "herd/core/atoms.hpp"
#include "herd/core/outcome.hpp"

namespace herd {

rate_gate::rate_gate(caf::actor_config& cfg, caf::actor service, adaptive_pacer::settings pacing)
    : caf::event_based_actor(cfg), service_(std::move(service)), settings_(pacing),
      pacer_(pacing, time_point{}) {}

caf::behavior rate_gate::make_behavior() {
  pacer_ = adaptive_pacer{settings_, clock().now()};
  return {
      [this](call_atom, std::string& payload) -> caf::result<outcome> {
        auto promise = make_response_promise();
        queue_.push_back(waiting_call{std::move(payload), promise});
        pump();
        return promise;
      },
      [this](tick_atom, uint64_t generation) {
        if (generation != generation_)
          return;
        armed_ = false;
        pump();
      },
  };
}

void rate_gate::pump() {
  auto now = clock().now();
  while (!queue_.empty() && pacer_.try_acquire(now)) {
    auto call = std::move(queue_.front());
    queue_.pop_front();
    auto promise = call.promise;
    request(service_, caf::infinite, call_atom::value, std::move(call.payload))
        .then(
            [this, promise](outcome& answer) mutable {
              auto c = answer.error.category;
              if (!answer.ok() &&
                  (c == failure_category::rate_limited || c == failure_category::unavailable))
                pacer_.on_failure(clock().now());
              promise.deliver(std::move(answer));
            },
            [promise](caf::error& e) mutable {
              promise.deliver(outcome::fail(failure::unavailable("service gone: " + to_string(e))));
            });
  }
  if (!queue_.empty() && !armed_) {
    armed_ = true;
    delayed_send(this, pacer_.next_token(now) - now, tick_atom::value, ++generation_);
  }
}

} // namespace herd
