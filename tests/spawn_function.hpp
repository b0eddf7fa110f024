#pragma once

#include <type_traits>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

namespace herd::test {

/// Spawns the function actor `f`, which takes its `caf::event_based_actor*` or nothing. CAF
/// 0.17 binds a reference to a null `std::tuple<>` for a function actor spawned without
/// arguments (UBSan reports it from caf/detail/init_fun_factory.hpp), so this passes one unused
/// argument. herd's own code passes its actors' shared state as spawn arguments instead.
template <class F>
caf::actor spawn_function(caf::actor_system& sys, F f) {
  if constexpr (std::is_invocable_v<F&, caf::event_based_actor*>)
    return sys.spawn([f](caf::event_based_actor* self, int) mutable { return f(self); }, 0);
  else
    return sys.spawn([f](int) mutable { return f(); }, 0);
}

} // namespace herd::test
