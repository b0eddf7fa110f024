// The typed protocols of the retry, breaker and dead-letter features: each actor class is
// spawned as its feature's handle, and an agent still calls a breaker like a service.
#include <type_traits>

#include <boost/test/unit_test.hpp>
#include <caf/infer_handle.hpp>

#include "actors/scripted_service.hpp"
#include "herd/breakers/breaker_registry.hpp"
#include "herd/breakers/circuit_breaker.hpp"
#include "herd/dead_letters/dead_letter_queue.hpp"
#include "herd/dead_letters/escalation_queue.hpp"
#include "herd/retry/retry_scheduler.hpp"
#include "virtual_time_fixture.hpp"

namespace {

template <class Actor, class Handle>
constexpr bool spawns_as = std::is_same_v<caf::infer_handle_from_class_t<Actor>, Handle>;

static_assert(spawns_as<herd::retry_scheduler, herd::retry_scheduler_actor>);
static_assert(spawns_as<herd::circuit_breaker, herd::circuit_breaker_actor>);
static_assert(spawns_as<herd::breaker_registry, herd::breaker_registry_actor>);
static_assert(spawns_as<herd::dead_letter_queue, herd::dead_letter_queue_actor>);
static_assert(spawns_as<herd::escalation_queue, herd::escalation_queue_actor>);

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_protocols, herd::test::virtual_time_fixture)

BOOST_AUTO_TEST_CASE(a_breaker_answers_a_call_through_a_dynamic_handle_like_a_service) {
  auto script = std::make_shared<herd::test::service_script>();
  auto service = sys.spawn<herd::test::scripted_service>(script);
  auto typed = sys.spawn<herd::circuit_breaker>("llm", "llm", service, herd::breaker_policy{},
                                                metrics, uint64_t{1});
  auto breaker = caf::actor_cast<caf::actor>(typed);
  self->send(breaker, herd::call_atom::value, std::string{"{}"});
  vt.run();
  auto answer = next<herd::outcome>();
  BOOST_REQUIRE(answer.has_value());
  BOOST_TEST(answer->ok());
  BOOST_TEST(script->calls == 1);
  caf::anon_send_exit(typed, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
  vt.run();
}

BOOST_AUTO_TEST_SUITE_END()
