// Breaker policies and the registry configuration: JSON in and out, defaults, and bad values
// rejected with their JSON path.
#include <boost/test/unit_test.hpp>

#include "herd/breakers/breaker_policy.hpp"
#include "herd/breakers/breaker_registry_config.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace {

/// The path of the config_error thrown by `read`, or "" if none is thrown.
template <class F>
std::string error_path(F read) {
  try {
    read();
  } catch (const herd::config_error& e) {
    return e.path();
  }
  return "";
}

herd::breaker_policy read_policy(const nlohmann::json& j) {
  return herd::breaker_policy::from_json(herd::json_reader{j, "/breaker"});
}

} // namespace

BOOST_AUTO_TEST_SUITE(breaker_policy)

BOOST_AUTO_TEST_CASE(defaults_are_documented_values) {
  auto p = read_policy(nlohmann::json::object());
  BOOST_TEST((p == herd::breaker_policy{}));
  BOOST_TEST(p.window_size == 100);
  BOOST_TEST(p.min_calls == 20);
  BOOST_TEST(p.failure_rate_threshold == 0.5);
  BOOST_TEST(p.half_open_probes == 3);
  BOOST_TEST(herd::to_ms(p.open_duration) == 15000);
  BOOST_TEST(p.records(herd::failure_category::transient));
  BOOST_TEST(p.records(herd::failure_category::rate_limited));
  BOOST_TEST(!p.records(herd::failure_category::permanent));
  BOOST_TEST(!p.records(herd::failure_category::circuit_open));
}

BOOST_AUTO_TEST_CASE(json_roundtrips) {
  auto p = read_policy({{"window", "time"},
                        {"window_duration_ms", 30000},
                        {"window_buckets", 30},
                        {"consecutive_failures", 5},
                        {"record_on", {"timeout", "permanent"}},
                        {"open_multiplier", 1.5},
                        {"seed", 9}});
  BOOST_TEST((p.window_kind == herd::breaker_window_kind::time));
  BOOST_TEST(p.records(herd::failure_category::permanent));
  BOOST_TEST(!p.records(herd::failure_category::transient));
  BOOST_TEST((read_policy(p.to_json()) == p));
}

BOOST_AUTO_TEST_CASE(bad_values_name_their_path) {
  BOOST_TEST(error_path([] { read_policy({{"min_calls", 0}}); }) == "/breaker/min_calls");
  BOOST_TEST(error_path([] { read_policy({{"window", "sliding"}}); }) == "/breaker/window");
  BOOST_TEST(error_path([] {
               read_policy({{"failure_rate_threshold", 1.5}});
             }) == "/breaker/failure_rate_threshold");
  BOOST_TEST(error_path([] {
               read_policy({{"record_on", {"transient", "oops"}}});
             }) == "/breaker/record_on/1");
  BOOST_TEST(error_path([] {
               read_policy({{"max_open_duration_ms", 10}});
             }) == "/breaker/max_open_duration_ms");
  BOOST_TEST(error_path([] {
               read_policy({{"max_half_open_ms", 5}});
             }) == "/breaker/max_half_open_ms");
  BOOST_TEST(error_path([] {
               read_policy({{"probe_timeout_ms", 0}});
             }) == "/breaker/probe_timeout_ms");
  BOOST_TEST(error_path([] { read_policy({{"open_jitter", 1}}); }) == "/breaker/open_jitter");
  BOOST_TEST(error_path([] {
               read_policy({{"half_open_probe", 1}});
             }) == "/breaker/half_open_probe");
}

BOOST_AUTO_TEST_CASE(registry_config_overrides_defaults_per_service) {
  nlohmann::json j = {{"scope", "agent_service"},
                      {"defaults", {{"min_calls", 10}}},
                      {"services", {{"llm", {{"half_open_probes", 1}}}}}};
  auto c = herd::breaker_registry_config::from_json(herd::json_reader{j, "/breakers"});
  BOOST_TEST(c.policy_for("llm").half_open_probes == 1);
  BOOST_TEST(c.policy_for("llm").min_calls == 10); // inherited from the defaults
  BOOST_TEST(c.policy_for("search").half_open_probes == 3);
  BOOST_TEST(c.key_of("writer-1", "llm") == "writer-1/llm");
  auto back = herd::breaker_registry_config::from_json(herd::json_reader{c.to_json()});
  BOOST_TEST((back.policy_for("llm") == c.policy_for("llm")));
  BOOST_TEST(herd::breaker_registry_config{}.key_of("writer-1", "llm") == "llm");
  BOOST_TEST(error_path([] {
               herd::breaker_registry_config::from_json(herd::json_reader{
                   nlohmann::json{{"services", {{"llm", {{"min_calls", "many"}}}}}}, "/breakers"});
             }) == "/breakers/services/llm/min_calls");
}

BOOST_AUTO_TEST_SUITE_END()
