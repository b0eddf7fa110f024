#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/virtual_time.hpp"
#include "herd/runtime/announce.hpp"

namespace herd::test {

/// A CAF config that runs on the test coordinator with herd's types announced.
struct virtual_time_config : caf::actor_system_config {
  virtual_time_config() {
    set("scheduler.policy", caf::atom("testing"));
    announce_types(*this);
  }
};

/// Boots an actor system on CAF's test coordinator; tests drive it with `vt.run()` and
/// `vt.advance(d)`, so nothing sleeps and every run repeats exactly.
struct virtual_time_fixture {
  virtual_time_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys, true};
  herd::virtual_time vt{sys};
  std::shared_ptr<metrics_registry> metrics = std::make_shared<metrics_registry>();

  virtual_time_fixture() {
    // Start away from the clock's epoch, as CAF's own fixture does.
    vt.coordinator().clock().current_time += std::chrono::hours(1);
  }

  ~virtual_time_fixture() { sys.await_actors_before_shutdown(false); }

  /// Stops `actors` and runs until they are gone. A test stops what it spawned: an actor still
  /// running when the system goes is never freed, nor is what it references.
  template <class... Handles>
  void stop(const Handles&... actors) {
    (caf::anon_send_exit(actors, caf::exit_reason::user_shutdown), ...);
    vt.run();
  }

  /// The next message of type T in `self`'s mailbox, or none if there is none.
  template <class T>
  std::optional<T> next() {
    std::optional<T> result;
    self->receive([&](T& x) { result = std::move(x); },
                  [&](caf::error& e) { BOOST_TEST_MESSAGE("received error: " << sys.render(e)); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    return result;
  }

  /// The next error in `self`'s mailbox, or none.
  std::optional<caf::error> next_error() {
    std::optional<caf::error> result;
    self->receive([&](caf::error& e) { result = std::move(e); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    return result;
  }
};

} // namespace herd::test
