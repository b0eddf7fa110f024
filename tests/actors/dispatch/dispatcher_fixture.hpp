#pragma once

#include <string>

#include "actors/test_agents.hpp"
#include "dispatch/dispatcher.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/errc.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/dispatch/protocol.hpp"
#include "virtual_time_fixture.hpp"

namespace herd::test {

/// A dispatcher on the test coordinator, with helpers to add agents and submit tasks as `self`.
struct dispatcher_fixture : virtual_time_fixture {
  dispatcher_config config;
  failed_attempts failures = failed_attempts::end_task;
  caf::actor dispatcher;
  run_counter runs = std::make_shared<std::map<std::string, int>>();

  dispatcher_fixture() {
    config.lease_timeout = from_ms(1000);
    config.intake_capacity = 100;
  }

  ~dispatcher_fixture() {
    if (dispatcher)
      caf::anon_send_exit(dispatcher, caf::exit_reason::kill);
    vt.run();
  }

  /// Spawns the dispatcher with `config`.
  void start() {
    dispatcher =
        caf::actor_cast<caf::actor>(sys.spawn<herd::dispatcher>(config, metrics, failures));
  }

  /// Spawns an agent of type A, names it and adds it to `pool`.
  template <class A, class... Ts>
  caf::actor add(const std::string& name, int32_t concurrency = 1, Ts&&... xs) {
    auto a = sys.spawn<A>(std::forward<Ts>(xs)...);
    agent_settings s;
    s.name = name;
    s.pool = "default";
    caf::anon_send(a, setup_atom::value, s);
    self->send(dispatcher, join_atom::value, std::string{"default"}, a, name, concurrency);
    vt.run();
    return a;
  }

  /// Submits a task as `self`; its outcome (or error) arrives in `self`'s mailbox.
  void submit(const std::string& id, nlohmann::json payload = nullptr) {
    self->send(dispatcher, submit_atom::value, task::make(id, "read_only", payload));
  }

  /// The dispatcher's accounting.
  dispatcher_stats stats() {
    self->send(dispatcher, dispatcher_stats_atom::value);
    vt.run();
    auto s = next<dispatcher_stats>();
    BOOST_REQUIRE(s);
    return *s;
  }

  /// The agent object behind a handle, to look at its state.
  template <class A>
  A& deref(const caf::actor& h) {
    return dynamic_cast<A&>(*caf::actor_cast<caf::abstract_actor*>(h));
  }
};

} // namespace herd::test
