#pragma once

#include <chrono>
#include <future>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>

#include "herd/core/errc.hpp"
#include "herd/core/virtual_time.hpp"

/// How the runtime and its HTTP endpoint ask herd's actors from a thread that is not an actor.
namespace herd::detail {

/// Sends `xs...` to `dest` as a request; the future yields the reply (a `T`) or the error.
template <class T, class Handle, class Timeout, class... Ts>
std::future<caf::expected<T>> request_reply(caf::actor_system& sys, const Handle& dest,
                                            Timeout timeout, Ts... xs) {
  auto promise = std::make_shared<std::promise<caf::expected<T>>>();
  auto reply = promise->get_future();
  if (!dest) {
    promise->set_value(caf::make_error(errc::shutting_down, "the runtime's actor is gone"));
    return reply;
  }
  // The promise goes in as a spawn argument, not a capture: CAF 0.17 binds a reference to a
  // null tuple for an actor spawned without arguments (UBSan reports it in CAF's
  // init_fun_factory.hpp).
  using promise_ptr = std::shared_ptr<std::promise<caf::expected<T>>>;
  sys.spawn(
      [=](caf::event_based_actor* self, promise_ptr p) {
        self->request(dest, timeout, xs...)
            .then([p](T& x) { p->set_value(std::move(x)); },
                  [p](caf::error& e) { p->set_value(std::move(e)); });
      },
      promise);
  return reply;
}

/// The reply `reply` brings: blocks on the real scheduler; on the test coordinator
/// (`scheduler.policy = 'testing'`) runs it, through its timers, until the reply is there.
template <class T>
caf::expected<T> wait_reply(caf::actor_system& sys, std::future<caf::expected<T>>& reply) {
  if (virtual_time::drives(sys)) {
    virtual_time vt{sys};
    while (reply.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      if (vt.run() == 0 && !vt.next_timer())
        return caf::make_error(errc::timeout, "no reply and nothing left to run");
  }
  return reply.get();
}

/// The reply of `dest` to `xs...` (see `wait_reply`).
template <class T, class Handle, class Timeout, class... Ts>
caf::expected<T> ask(caf::actor_system& sys, const Handle& dest, Timeout timeout, Ts... xs) {
  auto reply = request_reply<T>(sys, dest, timeout, std::move(xs)...);
  return wait_reply(sys, reply);
}

} // namespace herd::detail
