// Scenario files: the format of issue #7, with errors that name the JSON path.
#include <boost/test/unit_test.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/simulation/scale_scenario.hpp"
#include "herd/simulation/scenario.hpp"
#include "simulation/scenario_json.hpp"

namespace {

/// The path of the config_error that reading `document` throws, or "accepted".
std::string error_path(const nlohmann::json& document) {
  try {
    herd::scenario::from_json(herd::json_reader{document});
  } catch (const herd::config_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e.path();
  }
  return "accepted";
}

/// The small scenario with a fallback service "light" at a third of the capacity and no
/// outage of its own, run with and without the chain.
nlohmann::json with_fallback() {
  auto doc = herd::test::small_scenario();
  auto light = doc["service"];
  light["capacity_per_s"] = 40.0 / 3;
  light["outages"] = nlohmann::json::array();
  doc["fallback"] = {{"name", "light"}, {"service", light}};
  doc["strategies"] = {"without_chain", "with_chain"};
  return doc;
}

} // namespace

BOOST_AUTO_TEST_SUITE(simulation_scenario)

BOOST_AUTO_TEST_CASE(a_valid_scenario_reads_every_key) {
  auto doc = herd::test::small_scenario();
  auto s = herd::scenario::from_json(herd::json_reader{doc});
  BOOST_TEST(s.name == "small");
  BOOST_TEST(s.seed == 11u);
  BOOST_TEST(s.agents == 20);
  BOOST_TEST(s.tasks == 600);
  BOOST_TEST(s.capacity_per_s == 40.0);
  BOOST_TEST(s.outages.size() == 1u);
  BOOST_TEST(!s.overload_retry_after_s.has_value());
  BOOST_TEST(s.strategies.size() == 6u);
  BOOST_TEST(*s.last_outage_end() == 9.0);
  // The JSON form reads back to the same scenario.
  auto again = herd::scenario::from_json(herd::json_reader{s.to_json()});
  BOOST_TEST(again.to_json() == s.to_json());
}

BOOST_AUTO_TEST_CASE(retry_after_may_be_a_number_or_null) {
  auto doc = herd::test::small_scenario();
  doc["service"]["overload"]["retry_after_s"] = 5;
  auto s = herd::scenario::from_json(herd::json_reader{doc});
  BOOST_TEST(*s.overload_retry_after_s == 5.0);
  doc["service"]["overload"]["retry_after_s"] = "soon";
  BOOST_TEST(error_path(doc) == "/service/overload/retry_after_s");
}

BOOST_AUTO_TEST_CASE(missing_keys_are_named_by_path) {
  auto doc = herd::test::small_scenario();
  doc["service"].erase("capacity_per_s");
  BOOST_TEST(error_path(doc) == "/service/capacity_per_s");
  doc = herd::test::small_scenario();
  doc["service"]["overload"].erase("retry_after_s");
  BOOST_TEST(error_path(doc) == "/service/overload/retry_after_s");
  doc = herd::test::small_scenario();
  doc.erase("seed");
  BOOST_TEST(error_path(doc) == "/seed");
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_errors) {
  auto doc = herd::test::small_scenario();
  doc["workload"]["burst"] = 3;
  BOOST_TEST(error_path(doc) == "/workload/burst");
  doc = herd::test::small_scenario();
  doc["service"]["outages"][0]["end_s"] = 9;
  BOOST_TEST(error_path(doc) == "/service/outages/0/end_s");
}

BOOST_AUTO_TEST_CASE(bad_values_are_named_by_path) {
  auto doc = herd::test::small_scenario();
  doc["service"]["overload"]["status"] = 500;
  BOOST_TEST(error_path(doc) == "/service/overload/status");
  doc = herd::test::small_scenario();
  doc["strategies"][1] = "linear";
  BOOST_TEST(error_path(doc) == "/strategies/1");
  doc = herd::test::small_scenario();
  doc["service"]["latency_ms"]["p99"] = 50; // below the mean
  BOOST_TEST(error_path(doc) == "/service/latency_ms/p99");
  doc = herd::test::small_scenario();
  doc["service"]["error_rate"] = 1.5;
  BOOST_TEST(error_path(doc) == "/service/error_rate");
  doc = herd::test::small_scenario();
  doc["agents"] = 0;
  BOOST_TEST(error_path(doc) == "/agents");
}

BOOST_AUTO_TEST_CASE(a_fallback_service_has_its_own_keys_and_a_default_chain) {
  auto doc = with_fallback();
  auto s = herd::scenario::from_json(herd::json_reader{doc});
  BOOST_REQUIRE(s.fallback.has_value());
  BOOST_TEST(s.fallback->name == "light");
  auto& light = *s.fallback->behaviour;
  BOOST_TEST(light.capacity_per_s == 40.0 / 3);
  BOOST_TEST(light.outages.empty());
  BOOST_TEST(!light.fallback.has_value());
  // The primary keeps its own keys.
  BOOST_TEST(s.capacity_per_s == 40.0);
  BOOST_TEST(s.outages.size() == 1u);
  // Default chain: the primary, then the fallback.
  BOOST_REQUIRE(s.fallback->chain.tiers.size() == 2u);
  BOOST_TEST(s.fallback->chain.tiers[0].target == "service");
  BOOST_TEST(s.fallback->chain.tiers[1].target == "light");
  BOOST_TEST(herd::scenario::uses_chain("with_chain"));
  BOOST_TEST(!herd::scenario::uses_chain("without_chain"));
  BOOST_TEST(herd::scenario::is_herd("without_chain"));
  BOOST_TEST(s.runs_herd());
  // The JSON form reads back to the same scenario.
  auto again = herd::scenario::from_json(herd::json_reader{s.to_json()});
  BOOST_TEST(again.to_json() == s.to_json());
  // Scaling sizes the fallback too.
  auto scaled = herd::scale_scenario(s, 3);
  BOOST_TEST(scaled.fallback->behaviour->capacity_per_s == 40.0);
  BOOST_TEST(s.fallback->behaviour->capacity_per_s == 40.0 / 3);
}

BOOST_AUTO_TEST_CASE(a_fallback_may_name_its_chain) {
  auto doc = with_fallback();
  doc["fallback"]["chain"] = {{"tiers", {{{"service", "service"}}, {{"service", "light"}}}},
                              {"attempts_per_tier", 1}};
  auto s = herd::scenario::from_json(herd::json_reader{doc});
  BOOST_TEST(s.fallback->chain.attempts_per_tier == 1);
}

BOOST_AUTO_TEST_CASE(bad_fallbacks_are_named_by_path) {
  auto doc = with_fallback();
  doc["fallback"]["service"].erase("capacity_per_s");
  BOOST_TEST(error_path(doc) == "/fallback/service/capacity_per_s");
  doc = with_fallback();
  doc["fallback"]["name"] = "service";
  BOOST_TEST(error_path(doc) == "/fallback/name");
  doc = with_fallback();
  doc["fallback"]["chain"] = {{"tiers", {{{"service", "service"}}, {{"service", "haiku"}}}}};
  BOOST_TEST(error_path(doc) == "/fallback/chain/tiers/1/service");
  doc = with_fallback();
  doc["fallback"]["colour"] = "blue";
  BOOST_TEST(error_path(doc) == "/fallback/colour");
  // with_chain needs a fallback to fall back to.
  doc = herd::test::small_scenario();
  doc["strategies"] = {"herd", "with_chain"};
  BOOST_TEST(error_path(doc) == "/strategies/1");
}

BOOST_AUTO_TEST_SUITE_END()
