// The breaker registry: breakers per key on demand, subscriptions and configuration that reach
// every breaker, including later ones.
#include <set>

#include <boost/test/unit_test.hpp>

#include "actors/scripted_service.hpp"
#include "herd/breakers/breaker_errc.hpp"
#include "herd/breakers/breaker_registry.hpp"
#include "herd/breakers/breaker_status.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/breakers/protocol.hpp"
#include "virtual_time_fixture.hpp"

using herd::breaker_state;
using herd::breaker_status;
using herd::from_ms;

namespace {

struct registry_fixture : herd::test::virtual_time_fixture {
  std::shared_ptr<herd::test::service_script> llm_script =
      std::make_shared<herd::test::service_script>();
  std::shared_ptr<herd::test::service_script> search_script =
      std::make_shared<herd::test::service_script>();
  herd::breaker_registry_actor registry;

  void start(herd::breaker_scope scope) {
    herd::breaker_registry_config config;
    config.scope = scope;
    config.defaults.min_calls = 2;
    config.defaults.open_jitter = 0;
    config.services["search"] = config.defaults;
    config.services["search"].min_calls = 5;
    registry = sys.spawn<herd::breaker_registry>(config, metrics);
    self->send(registry, caf::put_atom::value, std::string{"llm"},
               sys.spawn<herd::test::scripted_service>(llm_script));
    self->send(registry, caf::put_atom::value, std::string{"search"},
               sys.spawn<herd::test::scripted_service>(search_script));
    vt.run();
  }

  template <class... Ts>
  caf::actor get(Ts... names) {
    self->send(registry, caf::get_atom::value, std::string{names}...);
    vt.run();
    auto b = next<caf::actor>();
    BOOST_REQUIRE(b.has_value());
    return *b;
  }

  herd::outcome call(const caf::actor& breaker) {
    self->send(breaker, herd::call_atom::value, std::string{"{}"});
    vt.run();
    auto o = next<herd::outcome>();
    BOOST_REQUIRE(o.has_value());
    return *o;
  }

  breaker_status status(const caf::actor& breaker) {
    self->send(breaker, herd::breaker_status_atom::value);
    vt.run();
    auto s = next<breaker_status>();
    BOOST_REQUIRE(s.has_value());
    return *s;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(breaker_registry, registry_fixture)

BOOST_AUTO_TEST_CASE(one_breaker_per_service_shared_by_agents) {
  start(herd::breaker_scope::service);
  auto a = get("writer-1", "llm");
  auto b = get("writer-2", "llm");
  auto c = get("llm");
  BOOST_TEST((a == b));
  BOOST_TEST((a == c));
  BOOST_TEST((a != get("writer-1", "search")));
  BOOST_TEST(status(a).key == "llm");
  BOOST_TEST(call(a).ok());
  BOOST_TEST(llm_script->calls == 1);
  BOOST_TEST(search_script->calls == 0);
}

BOOST_AUTO_TEST_CASE(one_breaker_per_agent_and_service_when_asked) {
  start(herd::breaker_scope::agent_service);
  auto a = get("writer-1", "llm");
  auto b = get("writer-2", "llm");
  BOOST_TEST((a != b));
  BOOST_TEST(status(b).key == "writer-2/llm");
  llm_script->mode = "transient";
  call(a);
  call(a);
  BOOST_TEST((status(a).state == breaker_state::open));
  BOOST_TEST((status(b).state == breaker_state::closed)); // writer-2 still tries
}

BOOST_AUTO_TEST_CASE(the_registry_lists_its_breakers_ordered_by_key) {
  start(herd::breaker_scope::service);
  auto search = get("search");
  auto llm = get("llm");
  self->send(registry, herd::breaker_list_atom::value);
  vt.run();
  auto all = next<std::vector<caf::actor>>();
  BOOST_REQUIRE(all.has_value());
  BOOST_TEST((*all == std::vector<caf::actor>{llm, search}));
}

BOOST_AUTO_TEST_CASE(unknown_services_are_an_error) {
  start(herd::breaker_scope::service);
  self->send(registry, caf::get_atom::value, std::string{"weather"});
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err.has_value());
  BOOST_TEST((*err == herd::breaker_errc::unknown_service));
  BOOST_TEST(sys.render(*err).find("weather") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(policies_per_service) {
  start(herd::breaker_scope::service);
  auto llm = get("llm");
  auto search = get("search");
  llm_script->mode = search_script->mode = "unavailable";
  for (int i = 0; i < 2; ++i) {
    call(llm);
    call(search);
  }
  BOOST_TEST((status(llm).state == breaker_state::open));
  BOOST_TEST((status(search).state == breaker_state::closed)); // needs 5 calls
}

BOOST_AUTO_TEST_CASE(subscriptions_reach_existing_and_later_breakers) {
  start(herd::breaker_scope::service);
  auto llm = get("llm");
  self->send(registry, herd::subscribe_atom::value, caf::actor_cast<caf::actor>(self));
  vt.run();
  auto search = get("search"); // created after the subscription
  llm_script->mode = search_script->mode = "unavailable";
  for (int i = 0; i < 5; ++i) {
    call(llm);
    call(search);
  }
  std::set<std::string> opened;
  while (auto t = next<herd::breaker_transition>()) {
    BOOST_TEST((t->to == breaker_state::open));
    opened.insert(t->key);
  }
  BOOST_TEST((opened == std::set<std::string>{"llm", "search"}));
}

BOOST_AUTO_TEST_CASE(configuration_per_service_reaches_its_breakers) {
  start(herd::breaker_scope::agent_service);
  auto a = get("writer-1", "search");
  auto b = get("writer-2", "search");
  herd::breaker_policy p;
  p.min_calls = 1;
  self->send(registry, herd::configure_atom::value, std::string{"search"}, p);
  vt.run();
  auto c = get("writer-3", "search"); // created with the new policy
  search_script->mode = "timeout";
  for (auto& breaker : {a, b, c}) {
    call(breaker);
    BOOST_TEST((status(breaker).state == breaker_state::open));
  }
}

BOOST_AUTO_TEST_CASE(a_replaced_service_actor_serves_existing_breakers) {
  start(herd::breaker_scope::service);
  auto llm = get("llm");
  auto restarted = std::make_shared<herd::test::service_script>();
  self->send(registry, caf::put_atom::value, std::string{"llm"},
             sys.spawn<herd::test::scripted_service>(restarted));
  vt.run();
  BOOST_TEST(call(llm).ok());
  BOOST_TEST(restarted->calls == 1);
  BOOST_TEST(llm_script->calls == 0);
}

BOOST_AUTO_TEST_CASE(every_error_code_has_a_name) {
  BOOST_TEST(herd::to_string(herd::breaker_errc::unknown_service) == "unknown_service");
  auto err = caf::make_error(herd::breaker_errc::unknown_service, std::string{"weather"});
  BOOST_TEST(sys.render(err) == "breaker: unknown_service: weather");
}

BOOST_AUTO_TEST_CASE(breaker_messages_cross_process_boundaries) {
  herd::breaker_policy p;
  p.window_kind = herd::breaker_window_kind::time;
  p.record_on = {herd::failure_category::timeout};
  herd::breaker_status s;
  s.key = "writer-1/llm";
  s.state = breaker_state::half_open;
  s.until_probe = from_ms(1500);
  herd::breaker_transition t;
  t.key = "llm";
  t.to = breaker_state::open;
  t.generation = 3;
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  auto msg = caf::make_message(p, s, t);
  BOOST_REQUIRE(!sink(msg));
  caf::message copy;
  caf::binary_deserializer source{sys, buf};
  BOOST_REQUIRE(!source(copy));
  BOOST_REQUIRE(
      (copy.match_elements<herd::breaker_policy, breaker_status, herd::breaker_transition>()));
  BOOST_TEST((copy.get_as<herd::breaker_policy>(0) == p));
  BOOST_TEST(copy.get_as<breaker_status>(1).key == "writer-1/llm");
  BOOST_TEST((copy.get_as<breaker_status>(1).state == breaker_state::half_open));
  BOOST_TEST(herd::to_ms(copy.get_as<breaker_status>(1).until_probe) == 1500);
  BOOST_TEST(copy.get_as<herd::breaker_transition>(2).generation == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
