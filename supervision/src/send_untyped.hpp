#pragma once

#include <utility>

#include <caf/actor.hpp>
#include <caf/local_actor.hpp>
#include <caf/message_id.hpp>

namespace herd {

/// Sends `xs...` from `self` to a dynamically typed actor (an agent, a subscriber, the
/// dispatcher), as `send` would from an untyped actor. A typed actor's own `send` accepts typed
/// receivers only.
template <class... Ts>
void send_untyped(caf::local_actor* self, const caf::actor& dest, Ts&&... xs) {
  if (dest)
    dest->eq_impl(caf::make_message_id(), self->ctrl(), self->context(), std::forward<Ts>(xs)...);
}

} // namespace herd
