// A runtime always shuts down, in virtual time: the services it was given are stopped with it,
// one that ignores its exit is killed after the stop time, and the report names it.
#include <memory>
#include <vector>

#include "herd/runtime/runtime.hpp"
#include "spawn_function.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace herd::test;

namespace {

/// A downstream service that never answers: it keeps every call's promise (a hung LLM API).
/// With `stubborn`, it also ignores exit messages.
caf::behavior hung_service(caf::event_based_actor* self, bool stubborn) {
  auto held = std::make_shared<std::vector<caf::response_promise>>();
  if (stubborn)
    self->set_exit_handler([](caf::exit_msg&) {});
  return {
      [self, held](call_atom, const std::string&) -> caf::result<outcome> {
        held->push_back(self->make_response_promise());
        return held->back();
      },
  };
}

/// An agent the caller spawned that ignores exit messages and every other message.
caf::behavior deaf_agent(caf::event_based_actor* self) {
  self->set_exit_handler([](caf::exit_msg&) {});
  self->set_default_handler(caf::drop);
  return {[](call_atom) {}};
}

struct shutdown_fixture : virtual_time_fixture {
  runtime_config config;
  std::unique_ptr<herd::runtime> rt;
  caf::actor service;

  shutdown_fixture() { config.log_level = "off"; }

  ~shutdown_fixture() {
    rt.reset();
    vt.run();
  }

  /// Starts a runtime with a service "llm" that holds a call; `self` watches the service.
  void start(bool stubborn) {
    rt = std::make_unique<herd::runtime>(sys, config);
    service = sys.spawn(hung_service, stubborn);
    rt->add_service("llm", service);
    caf::anon_send(service, call_atom::value, std::string{"a question"});
    self->monitor(service);
    vt.run();
  }

  /// True once `self` saw the service go down.
  bool service_down() {
    auto down = next<caf::down_msg>();
    return down && down->source == service.address();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_shutdown, shutdown_fixture)

BOOST_AUTO_TEST_CASE(a_service_that_holds_its_calls_stops_with_the_runtime) {
  start(false);
  auto report = rt->shutdown(from_ms(1000), from_ms(2000));
  vt.run();
  BOOST_TEST(service_down());
  BOOST_TEST(report.killed.empty());
  BOOST_TEST(report.still_running.empty());
}

BOOST_AUTO_TEST_CASE(a_service_replaced_by_a_later_add_service_stops_too) {
  start(false);
  auto successor = sys.spawn(hung_service, false);
  rt->add_service("llm", successor);
  self->monitor(successor);
  vt.run();
  auto report = rt->shutdown(from_ms(1000), from_ms(2000));
  vt.run();
  std::vector<caf::actor_addr> down;
  while (auto msg = next<caf::down_msg>())
    down.push_back(msg->source);
  BOOST_TEST(down.size() == 2u);
  BOOST_TEST(report.still_running.empty());
}

BOOST_AUTO_TEST_CASE(a_service_that_ignores_its_exit_is_killed_within_the_stop_time) {
  start(true);
  auto began = vt.now();
  auto report = rt->shutdown(from_ms(1000), from_ms(2000));
  // Grace (nothing to drain here) plus one stop time, then the kill lands at once.
  BOOST_TEST(to_ms(vt.now() - began) <= 1000 + 2 * 2000);
  vt.run();
  BOOST_TEST(service_down());
  BOOST_TEST((report.killed == std::vector<std::string>{"service llm"}));
  BOOST_TEST(report.still_running.empty());
}

BOOST_AUTO_TEST_CASE(an_added_agent_that_ignores_its_exit_is_killed_and_named) {
  rt = std::make_unique<herd::runtime>(sys, config);
  auto agent = rt->add_agent("p", herd::test::spawn_function(sys, deaf_agent));
  self->monitor(agent);
  vt.run();
  auto report = rt->shutdown(from_ms(1000), from_ms(2000));
  vt.run();
  auto down = next<caf::down_msg>();
  BOOST_TEST((down && down->source == agent.address()));
  BOOST_TEST((report.killed == std::vector<std::string>{"agent p-1"}));
}

BOOST_AUTO_TEST_SUITE_END()
