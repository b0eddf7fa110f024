// The agent base class: heartbeats from its own mailbox, async handlers, exceptions in callbacks.
#include "actors/dispatch/dispatcher_fixture.hpp"
#include "spawn_function.hpp"

using namespace herd;
using namespace herd::test;

namespace {

/// Calls a service actor and completes the task when the answer comes back.
class calling_agent : public agent {
public:
  calling_agent(caf::actor_config& cfg, caf::actor service, bool throw_in_callback)
      : agent(cfg), service_(std::move(service)), throw_(throw_in_callback) {}

protected:
  void handle_async(const task& t, task_completion done) override {
    request(service_, caf::infinite, call_atom::value, t.payload)
        .then(
            [this, done](outcome& answer) {
              if (throw_)
                throw std::runtime_error("callback blew up");
              done.finish(answer);
            },
            [done](caf::error&) { done.fail(failure::unavailable("service unreachable")); });
  }

private:
  caf::actor service_;
  bool throw_;
};

/// A downstream service that answers every call.
caf::behavior answering_service(caf::event_based_actor*) {
  return {[](call_atom, const std::string& request) {
    return outcome::success({{"answered", request}});
  }};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(agent, dispatcher_fixture)

BOOST_AUTO_TEST_CASE(heartbeats_arrive_at_the_configured_interval) {
  auto a = sys.spawn<echo_agent>(runs);
  agent_settings s;
  s.name = "beating";
  s.heartbeat_target = caf::actor{self};
  s.heartbeat_interval = from_ms(1000);
  caf::anon_send(a, setup_atom::value, s);
  vt.run();
  vt.advance(from_ms(3500));
  std::vector<uint64_t> beats;
  for (int i = 0; i < 4; ++i)
    self->receive(
        [&](heartbeat_atom, const std::string& name, uint64_t seq) {
          BOOST_TEST(name == "beating");
          beats.push_back(seq);
        },
        caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_TEST(beats == (std::vector<uint64_t>{1, 2, 3}), boost::test_tools::per_element());
  caf::anon_send_exit(a, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_CASE(no_heartbeats_without_a_target) {
  auto a = sys.spawn<echo_agent>(runs);
  agent_settings s;
  s.name = "quiet";
  caf::anon_send(a, setup_atom::value, s);
  vt.run();
  BOOST_TEST(!vt.has_timer());
}

BOOST_AUTO_TEST_CASE(async_handlers_finish_after_their_requests) {
  start();
  auto service = herd::test::spawn_function(sys, answering_service);
  add<calling_agent>("caller", 1, service, false);
  submit("t1", "what is 6*7?");
  vt.run();
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  BOOST_TEST(o->result_json()["answered"] == "\"what is 6*7?\"");
  BOOST_TEST(o->agent == "caller");
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_callback_fails_the_task_as_unknown) {
  start();
  auto service = herd::test::spawn_function(sys, answering_service);
  add<calling_agent>("fragile", 1, service, true);
  submit("t1");
  vt.run();
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST((o->error.category == failure_category::unknown));
  BOOST_TEST(o->error.message.find("callback blew up") != std::string::npos);
  // The agent died; its task was reported first, so nothing is pending or lost.
  auto s = stats();
  BOOST_TEST(s.agents == 0u);
  BOOST_TEST(s.failed == 1u);
  BOOST_TEST(s.requeued == 0u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_SUITE_END()
