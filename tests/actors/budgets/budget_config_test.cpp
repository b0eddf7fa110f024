// The "budgets" JSON: round trip, and bad config rejected with the JSON path.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "actors/budgets/budget_test_support.hpp"
#include "herd/budgets/budget_config.hpp"
#include "herd/budgets/cost_of.hpp"
#include "herd/core/json_reader.hpp"

namespace {

herd::budget_config read(const char* text) {
  auto doc = nlohmann::json::parse(text);
  return herd::budget_config::from_json(herd::json_reader{doc.at("budgets"), "/budgets"});
}

/// The JSON path of the config error `text` raises; "" if it raises none.
std::string error_path(const char* text) {
  try {
    read(text);
  } catch (const herd::config_error& e) {
    return e.path();
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(budgets_suite)

BOOST_AUTO_TEST_CASE(config_reads_runtime_pools_task_and_prices) {
  auto c = read(R"({"budgets": {
    "runtime": {"per_day": {"soft": 50, "hard": 100}, "per_minute": {"hard": 2}},
    "pools": {"triage": {"per_hour": {"soft": 5}}},
    "task": {"hard": 2.0},
    "prices": {"gpt-4o-mini": {"input_per_million": 0.15, "output_per_million": 0.6}}}})");
  BOOST_TEST_REQUIRE(c.runtime.size() == 2u);
  BOOST_TEST(c.runtime[0].period == herd::budget_period::minute);
  BOOST_TEST(*c.runtime[0].hard == 2.0);
  BOOST_TEST(c.runtime[1].period == herd::budget_period::day);
  BOOST_TEST(*c.runtime[1].soft == 50.0);
  BOOST_TEST(c.pools.at("triage").at(0).period == herd::budget_period::hour);
  BOOST_TEST(!c.pools.at("triage").at(0).hard.has_value());
  BOOST_TEST(c.task->period == herd::budget_period::total);
  BOOST_TEST(*c.task->hard == 2.0);
  BOOST_TEST(c.prices.find("gpt-4o-mini") != nullptr);
  auto again = herd::budget_config::from_json(herd::json_reader{c.to_json()});
  BOOST_TEST(again.to_json() == c.to_json());
  BOOST_TEST(herd::budget_config{}.empty());
  BOOST_TEST(!c.empty());
}

BOOST_AUTO_TEST_CASE(config_errors_name_the_json_path) {
  BOOST_TEST(error_path(R"({"budgets": {"runtime": {"per_day": {"hard": -1}}}})") ==
             "/budgets/runtime/per_day/hard");
  BOOST_TEST(error_path(R"({"budgets": {"runtime": {"per_day": {"soft": 0}}}})") ==
             "/budgets/runtime/per_day/soft");
  BOOST_TEST(error_path(R"({"budgets": {"pools": {"a": {"per_hour": {"soft": 9, "hard": 5}}}}})") ==
             "/budgets/pools/a/per_hour/soft");
  BOOST_TEST(error_path(R"({"budgets": {"runtime": {"per_week": {"hard": 5}}}})") ==
             "/budgets/runtime/per_week");
  BOOST_TEST(error_path(R"({"budgets": {"runtime": {"per_day": {}}}})") ==
             "/budgets/runtime/per_day");
  BOOST_TEST(error_path(R"({"budgets": {"task": {"hard": "2"}}})") == "/budgets/task/hard");
  BOOST_TEST(error_path(R"({"budgets": {"task": {"per_day": {"hard": 2}}}})") ==
             "/budgets/task/per_day");
  BOOST_TEST(error_path(R"({"budgets": {"prices": {"m": {"input_per_million": -1,
             "output_per_million": 1}}}})") == "/budgets/prices/m/input_per_million");
  BOOST_TEST(error_path(R"({"budgets": {"pools": {"": {"per_day": {"hard": 1}}}}})") ==
             "/budgets/pools/");
  BOOST_TEST(error_path(R"({"budgets": {"limits": {}}})") == "/budgets/limits");
  BOOST_TEST(error_path(R"({"budgets": {"runtime": {"per_day": {"hard": 1}}}})").empty());
}

BOOST_AUTO_TEST_CASE(cost_of_a_call_from_its_usage_and_prices) {
  auto result = nlohmann::json::parse(R"({"text": "hi", "model": "sonnet",
    "usage": {"input_tokens": 2000, "output_tokens": 500}})");
  auto usage = herd::token_usage::from_result(result);
  BOOST_TEST_REQUIRE(usage.has_value());
  BOOST_TEST(usage->model == "sonnet");
  herd::llm_prices sonnet{3.0, 15.0};
  // 2000 * 3 / 1e6 + 500 * 15 / 1e6
  BOOST_TEST(herd::cost_of(*usage, sonnet) == 0.0135, boost::test_tools::tolerance(1e-12));
  herd::price_table table;
  table.set("sonnet", sonnet);
  BOOST_TEST(*herd::cost_of(*usage, table) == 0.0135, boost::test_tools::tolerance(1e-12));
  usage->model = "unknown-model";
  BOOST_TEST(!herd::cost_of(*usage, table).has_value()); // unpriced, not free
  BOOST_TEST(!herd::token_usage::from_result(nlohmann::json::parse(R"({"text": "x"})")));
  auto negative =
      herd::token_usage::from_result(nlohmann::json::parse(R"({"usage": {"input_tokens": -5}})"));
  BOOST_TEST(negative->input_tokens == 0);
  BOOST_TEST(negative->output_tokens == 0);
  BOOST_TEST(negative->model.empty());
}

BOOST_AUTO_TEST_SUITE_END()
