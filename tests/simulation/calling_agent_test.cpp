// The simulation's calling agent: calls the service a task names (a fallback tier's) and merges
// the tier's request parameters into the payload.
#include "actors/dispatch/dispatcher_fixture.hpp"
#include "herd/simulation/calling_agent.hpp"

using namespace herd;
using namespace herd::test;

namespace {

/// A service that answers every call with its name and the request it received.
caf::behavior named_service(caf::event_based_actor*, std::string name) {
  return {[name](call_atom, const std::string& request, time_point) {
    return outcome::success({{"by", name}, {"request", nlohmann::json::parse(request)}});
  }};
}

task task_for(const std::string& id, const std::string& service) {
  auto t = task::make(id, "read_only", {{"prompt", "hi"}, {"model", "big"}});
  t.service = service;
  return t;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(simulation_calling_agent, dispatcher_fixture)

BOOST_AUTO_TEST_CASE(a_tiers_params_are_merged_into_the_payload) {
  auto t = task_for("t1", "light");
  BOOST_TEST(calling_agent::request_of(t) == t.payload);
  t.route.params = R"({"model": "small", "temperature": 0})";
  auto request = nlohmann::json::parse(calling_agent::request_of(t));
  BOOST_TEST(request == nlohmann::json::parse(R"({"prompt": "hi", "model": "small",
                                                   "temperature": 0})"));
  // A null in the params removes the key (JSON merge-patch).
  t.route.params = R"({"model": null})";
  BOOST_TEST(nlohmann::json::parse(calling_agent::request_of(t)) ==
             nlohmann::json::parse(R"({"prompt": "hi"})"));
}

BOOST_AUTO_TEST_CASE(the_service_the_task_names_is_called) {
  start();
  std::map<std::string, caf::actor> services{{"primary", sys.spawn(named_service, "primary")},
                                             {"light", sys.spawn(named_service, "light")}};
  add<calling_agent>("caller", 1, services);
  auto t = task_for("t1", "light");
  t.route.tier = "light";
  t.route.params = R"({"model": "small"})";
  self->send(dispatcher, submit_atom::value, t);
  vt.run();
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
  auto result = nlohmann::json::parse(o->result);
  BOOST_TEST(result["by"] == "light");
  BOOST_TEST(result["request"]["model"] == "small");
  self->send(dispatcher, submit_atom::value, task_for("t2", "primary"));
  vt.run();
  o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(nlohmann::json::parse(o->result)["by"] == "primary");
  for (auto& [_, s] : services)
    caf::anon_send_exit(s, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_CASE(a_task_naming_no_known_service_fails_as_permanent) {
  start();
  add<calling_agent>("caller", 1,
                     std::map<std::string, caf::actor>{{"primary", sys.spawn(named_service, "p")}});
  self->send(dispatcher, submit_atom::value, task_for("t1", "elsewhere"));
  vt.run();
  auto o = next<outcome>();
  BOOST_REQUIRE(o);
  BOOST_TEST(!o->ok());
  BOOST_TEST(to_string(o->error.category) == "permanent");
  BOOST_TEST(o->error.message.find("elsewhere") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
