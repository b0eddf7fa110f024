// The retry scheduler's JSON configuration: documented defaults and rejected values.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/retry/retry_scheduler_config.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace {

herd::retry_scheduler_config read(const nlohmann::json& j) {
  return herd::retry_scheduler_config::from_json(herd::json_reader{j, "/retry"});
}

std::string error_of(const nlohmann::json& j) {
  try {
    read(j);
  } catch (const herd::config_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry_scheduler_config)

BOOST_AUTO_TEST_CASE(an_empty_object_gives_the_documented_defaults) {
  auto c = read(nlohmann::json::object());
  BOOST_TEST(c.seed == 42u);
  BOOST_TEST(c.max_pending == 1000000);
  BOOST_TEST(herd::to_ms(c.spread.spread_window) == 1000);
  BOOST_TEST(c.budget_enabled);
  BOOST_TEST((c.on_budget_exhausted == herd::budget_action::wait));
  BOOST_TEST(c.pacing.initial_rate == 100.0);
  BOOST_TEST(c.pacing.burst == 5.0);
  // The JSON form reads back to the same values.
  auto again = read(c.to_json());
  BOOST_TEST(again.to_json() == c.to_json());
}

BOOST_AUTO_TEST_CASE(values_override_the_defaults) {
  auto c = read({{"seed", 7},
                 {"retry_after_spread", {{"window_ms", 250}, {"ratio", 0.5}}},
                 {"budget", {{"on_exhausted", "dead_letter"}, {"max_tokens", 20}}},
                 {"pacing", {{"enabled", false}, {"max_rate", 50}, {"initial_rate", 2}}}});
  BOOST_TEST(c.seed == 7u);
  BOOST_TEST(herd::to_ms(c.spread.spread_window) == 250);
  BOOST_TEST(c.spread.spread_ratio == 0.5);
  BOOST_TEST((c.on_budget_exhausted == herd::budget_action::dead_letter));
  BOOST_TEST(c.budget.max_tokens == 20.0);
  BOOST_TEST(!c.pacing_enabled);
  BOOST_TEST(c.pacing.max_rate == 50.0);
}

BOOST_AUTO_TEST_CASE(bad_values_name_their_json_path) {
  BOOST_TEST(
      error_of({{"budget", {{"on_exhausted", "drop"}}}}).find("/retry/budget/on_exhausted") !=
      std::string::npos);
  BOOST_TEST(
      error_of({{"pacing", {{"decrease_factor", 2}}}}).find("/retry/pacing/decrease_factor") !=
      std::string::npos);
  BOOST_TEST(error_of({{"pacing", {{"max_rate", 5}}}}).find("/retry/pacing/initial_rate") !=
             std::string::npos);
  BOOST_TEST(error_of({{"max_pending", "many"}}).find("/retry/max_pending") != std::string::npos);
  BOOST_TEST(error_of({{"retries", 3}}).find("/retry/retries") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_runtime_configuration_carries_it_under_retry) {
  auto c = herd::runtime_config::from_json({{"retry", {{"max_pending", 500}}}});
  BOOST_TEST(c.retry.max_pending == 500);
  BOOST_TEST(c.to_json()["retry"]["max_pending"] == 500);
  try {
    herd::runtime_config::from_json({{"retry", {{"pacing", {{"burst", 0}}}}}});
    BOOST_FAIL("a burst of 0 was accepted");
  } catch (const herd::config_error& e) {
    BOOST_TEST(std::string{e.what()}.find("/retry/pacing/burst") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
