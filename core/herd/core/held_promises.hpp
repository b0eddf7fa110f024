#pragma once

#include <caf/error.hpp>
#include <caf/sec.hpp>

namespace herd {

/// Answers a request an actor still holds when it stops with `request_receiver_down` (what CAF
/// 0.17 answers for the requests left in a stopped actor's mailbox) and empties the promise.
/// For `on_exit`: a held promise keeps a strong reference to the actor that made it, so one left
/// in a stopped actor's members keeps that actor and all it references alive for good, and its
/// requester would wait forever.
template <class Promise>
void abandon(Promise& promise) {
  if (promise.pending())
    promise.deliver(caf::make_error(caf::sec::request_receiver_down));
  promise = Promise{};
}

/// `abandon` for every promise of `promises` (a container of promises), then clears it.
template <class Promises>
void abandon_all(Promises& promises) {
  for (auto& promise : promises)
    abandon(promise);
  promises.clear();
}

} // namespace herd
